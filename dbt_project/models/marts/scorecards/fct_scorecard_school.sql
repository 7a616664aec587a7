{{ incremental_by_period(by_province=true) }}
-- Bảng xếp hạng trường: share of targets met per school, year, period and level,
-- ranked within the district and the province.
{{ scorecard('fct_target_achievement_school', 'district_code') }}
