{{ incremental_by_period(by_province=true) }}
{{ achievement_mart('school') }}
