//! Geography: great-circle distance and the bundled gazetteer that places
//! addresses which arrive without coordinates.
