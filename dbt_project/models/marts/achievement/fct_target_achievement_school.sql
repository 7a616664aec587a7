{{ achievement_mart('school') }}
