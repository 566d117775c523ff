"""The spiders: one generic spider, ``site``, runs every site profile."""
