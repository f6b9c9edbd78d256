"""Rolling rows up over time and over units, by each input's rules in the catalog."""
