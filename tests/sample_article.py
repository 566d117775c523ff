"""The article this project started from, as a reader saw it (shared by several tests)."""

# The text of /work/shared/samples/sonoivu-binhduong-2019-10-02.txt (an article of the Sở Nội vụ
# tỉnh Bình Dương as a reader saw it, sidebar included), kept here so the tests run on a
# clean clone.
SAMPLE_TEXT = "\n".join(
    [
        "Sở Nội Vụ Tỉnh Bình Dương",
        "Tin tức sự kiện",
        "Thứ tư, 02/10/2019 | 15:42:26 GMT+7",
        "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước",
        "Tập tin đính kèm:",
        (
            "Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND về việc "
            "tổ chức Hội nghị điển hình tiên tiến các cấp và Đại hội thi đua yêu nước tỉnh "
            "Bình Dương lần thứ V, tiến tới Đại hội thi đua yêu nước toàn quốc lần thứ X năm "
            "2020."
        ),
        "",
        (
            "Kế hoạch yêu cầu thủ trưởng các sở, ban, ngành, đoàn thể tỉnh; Chủ tịch UBND "
            "các huyện, thị xã, thành phố; Chủ tịch UBND các xã, phường, thị trấn; Tổng Giám "
            "đốc, Giám đốc các doanh nghiệp thông qua việc tổ chức Đại hội và Hội nghị điển "
            "hình tiên tiến rút ra bài học kinh nghiệm về phát hiện, bồi dưỡng, tổng kết và "
            "nhân rộng điển hình; đổi mới nội dung, hình thức, chất lượng công tác thi đua, "
            "khen thưởng theo tinh thần Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị. "
            "Việc tổ chức Đại hội Thi đua yêu nước và Hội nghị điển hình tiên tiến đảm bảo "
            "trang trọng, thiết thực, thực hành tiết kiệm."
        ),
        "",
        (
            "Bên cạnh việc chỉ đạo về nội dung, hình thức của Đại hội và Hội nghị điển hình "
            "tiên tiến, Kế hoạch 4846 nhấn mạnh chỉ đạo việc xét duyệt, chọn cử đại biểu "
            "điển hình tiên tiến là công nhân, nông dân, người trực tiếp lao động sản xuất, "
            "công tác, nghiên cứu khoa học, người lao động giỏi, lao động sáng tạo, gương "
            "người tốt, việc tốt."
        ),
        "",
        (
            "Nhiệm vụ đến năm 2020, căn cứ kế hoạch phát động phong trào thi đua của UBND "
            "tỉnh và nhiệm vụ chính trị của các ngành, cơ quan, đơn vị, địa phương phát động "
            "các đợt thi đua sôi nổi, thiết thực, gắn với thực hiện Chỉ thị số 05/CT-TW của "
            'Bộ Chính trị và các phong trào thi đua do Thủ tướng phát động như: " Doanh '
            'nghiệp Việt Nam hội nhập và phát triển". "Cả nước chung tay vì người nghèo, '
            'không để ai bị bỏ lại phía sau", " Cán bộ, công chức, viên chức thi đua thực '
            'hiện văn hóa công sở" nhằm thực hiện thắng lợi nhiệm vụ phát triển KT-XH của '
            "tỉnh giai đoạn 2015-2020."
        ),
        "",
        "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng",
        "Tin liên quan",
        "Hình ảnh hoạt động",
        "Liên kết website",
        "Thống kê truy cập",
        "Đang truy cập3",
        "Tổng truy cập 2763032",
    ]
)
