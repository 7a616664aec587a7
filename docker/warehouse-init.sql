-- The warehouse server also keeps Superset's own metadata, in a database of its own.
create database superset;
