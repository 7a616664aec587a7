-- Sheet «Học sinh»: one row per submission and grade.
{{ pivot_report_sheet('pupils', ['grade'],
    ['classes', 'enrolled', 'female', 'ethnic_minority', 'disabled', 'enrolled_start',
     'dropouts', 'planned_days', 'absent_days', 'new_entrants', 'new_entrants_of_age',
     'promoted', 'promoted_after_resit', 'repeaters', 'completers']) }}
