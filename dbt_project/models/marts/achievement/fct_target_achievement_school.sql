{{ incremental_by_period() }}
{{ achievement_mart('school') }}
