{{ incremental_by_period(by_province=true) }}
-- Chỉ tiêu theo tỉnh, địa giới từ 01/7/2025, mọi năm: the 34 provinces of today for every
-- school year — a legacy province's schools and communes counted in the 2025 province they
-- became part of (counts re-aggregated, never rates averaged). Targets set for a 2025
-- province apply from 2025-2026 on; earlier years carry no target (legacy provinces'
-- targets stay with them in fct_target_achievement_province).
{{ achievement_mart('province', '2025') }}
