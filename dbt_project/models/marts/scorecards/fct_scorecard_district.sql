{{ incremental_by_period(by_province=true) }}
-- Bảng xếp hạng huyện: share of targets met per district, year, period and level,
-- ranked within the province.
{{ scorecard('fct_target_achievement_district', 'province_code') }}
