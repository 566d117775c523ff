"""Accent-free search keys and one tone placement, for the archive's index and queries.

Defined once in the pure parsing layer (scraper.parsing.folding), which ``archive/`` may
import; re-exported here so the archive's modules and its users keep one name for it.
"""

from scraper.parsing.folding import doc_number_key, fold, fold_char, tone_placement

__all__ = ["doc_number_key", "fold", "fold_char", "tone_placement"]
