"""The numeric targets of decision 2331/QĐ-UBND (huyện Phong Thổ, 08/09/2023, seed 002).

Each row: indicator code, segment, comparator as the assignment file writes it, value as
a Vietnamese clerk types it, and the sentence of the plan it comes from.
"""

DECISION_NO = "2331/QĐ-UBND"
ISSUED_ON = "08/09/2023"
SCHOOL_YEAR = "2023-2024"

TARGETS: list[tuple[str, str, str, str, str]] = [
    ("mn_enrol_0_2", "", ">=", "25", "Huy động trẻ dưới 3 tuổi ra lớp đạt từ 25% trở lên"),
    ("mn_enrol_3_5", "", ">=", "99,8", "trẻ từ 3 đến 5 tuổi đạt từ 99,8% trở lên"),
    ("mn_enrol_5", "", ">=", "99,9", "trẻ mẫu giáo 5 tuổi 99,9%"),
    ("mn_attendance", "", "từ … trở lên", "97", "tỉ lệ đi học chuyên cần từ 97% trở lên"),
    ("mn_attendance_5", "", ">=", "98", "trong đó 5 tuổi đạt từ 98% trở lên"),
    ("th_enrol_6_10", "", ">=", "99,7", "Huy động học sinh từ 6-10 tuổi ra lớp đạt từ 99,7% trở lên"),
    ("th_enrol_grade1", "", ">=", "99,9", "trẻ 6 tuổi vào lớp 1 đạt 99,9%"),
    ("th_attendance", "", ">=", "98,7", "Duy trì tỉ lệ chuyên cần 98,7%"),
    ("th_dropout", "", "<", "0,01", "giảm tỉ lệ bỏ học xuống dưới 0,01%"),
    ("thcs_enrol_11_14", "", ">=", "96,5", "Huy động học sinh trong độ tuổi đến trường đạt 96,5% trở lên"),
    ("thcs_transition_g6", "", ">", "99,5", "trên 99,5% học sinh hoàn thành chương trình Tiểu học vào lớp 6"),
    ("thcs_dropout", "", "dưới", "0,7", "giảm tỷ lệ bỏ học dưới 0,7%"),
    ("thcs_attendance", "", "trên", "94", "học sinh đi học chuyên cần trên 94%"),
    ("mn_boarding_meals", "", ">=", "100", "100% trẻ đến trường được ăn bán trú"),
    ("mn_two_sessions", "", ">=", "100", "100% trẻ đến trường được … học 2 buổi/ngày"),
    ("mn_underweight_nt", "", "<", "10", "suy dinh dưỡng thể nhẹ cân nhà trẻ xuống dưới 10%"),
    ("mn_underweight_mg", "", "<", "12", "trẻ mẫu giáo dưới 12%"),
    ("mn_stunting_nt", "", "<", "11", "suy dinh dưỡng thể thấp còi nhà trẻ dưới 11%"),
    ("mn_stunting_mg", "", "<", "12", "trẻ mẫu giáo dưới 12%"),
    (
        "th_subject_completion",
        "",
        ">=",
        "99,7",
        "hoàn thành các môn học và hoạt động giáo dục đạt từ 99,7% trở lên",
    ),
    ("th_promotion", "", ">=", "99,7", "Tỉ lệ học sinh chuyển lớp đạt từ 99,7% trở lên"),
    ("th_completion", "", ">=", "99,5", "Hoàn thành chương trình tiểu học đạt từ 99,5% trở lên"),
    ("thcs_conduct_avg_plus", "", ">", "98,2", "xếp loại hạnh kiểm từ TB trở lên trên 98,2%"),
    ("thcs_conduct_good_plus", "", ">", "96,4", "trong đó khá, tốt trên 96,4%"),
    ("thcs_conduct_good_plus", "ĐBKK", ">", "96", "(ĐBKK 96%)"),
    ("thcs_academic_avg_plus", "", ">", "98,1", "Xếp loại học lực từ TB trở lên trên 98,1%"),
    ("thcs_academic_good_plus", "", ">=", "45", "trong đó khá, giỏi đạt từ 45% trở lên"),
    ("thcs_promotion_after_resit", "", ">", "98", "lên lớp sau thi lại (rèn luyện trong hè) trên 98%"),
    ("thcs_graduation", "", ">=", "99", "học sinh tốt nghiệp từ 99% trở lên"),
    ("gifted_district_award_rate", "", ">=", "50", "HS giỏi cấp huyện: 50% số dự thi đạt giải"),
    ("gifted_province_award_rate", "", ">", "45", "cấp tỉnh đạt trên 45% số dự thi"),
    ("science_fair_projects", "", ">=", "4", "Tham gia cuộc thi KHKT sáng tạo cấp tỉnh 04 dự án"),
    (
        "universalisation_communes",
        "",
        "N/M",
        "17/17",
        "giữ vững chuẩn Quốc gia về PCGD, XMC ở 17/17 xã, thị trấn",
    ),
    ("national_standard_schools", "", "N/M", "23/48", "nâng số trường chuẩn Quốc gia 23/48 trường = 47,92%"),
]
