-- Sheet «Cơ sở vật chất»: one row per submission.
{{ pivot_report_sheet('facilities', [],
    ['classrooms', 'solid', 'semi_solid', 'temporary', 'borrowed', 'subject_rooms']) }}
