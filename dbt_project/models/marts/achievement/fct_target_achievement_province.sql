{{ achievement_mart('province') }}
