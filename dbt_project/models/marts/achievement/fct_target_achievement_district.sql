{{ achievement_mart('district') }}
