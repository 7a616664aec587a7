{{ achievement_mart('commune') }}
