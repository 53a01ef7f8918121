//! Great-circle distance, as `customer_within_distance` defines it
//! (language.md §7): haversine on a sphere of the IUGG mean Earth radius.

/// Mean Earth radius in kilometres (IUGG R1), the radius the spec names.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres in one international mile.
pub const KM_PER_MILE: f64 = 1.609344;

/// Great-circle distance in kilometres between two points given in degrees.
///
/// The haversine form stays accurate for short distances, where the
/// spherical law of cosines loses precision; the `min(1.0)` guards against
/// rounding pushing the argument of `asin` past 1 for antipodal points.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn same_point_is_zero() {
        assert_eq!(haversine_km(59.9, 10.7, 59.9, 10.7), 0.0);
    }

    #[test]
    fn known_city_distances() {
        // Oslo - Bergen: about 305 km as the crow flies.
        close(haversine_km(59.9139, 10.7522, 60.3913, 5.3221), 305.0, 3.0);
        // London - Paris: about 344 km.
        close(haversine_km(51.5074, -0.1278, 48.8566, 2.3522), 343.6, 1.5);
        // New York - Los Angeles: about 3936 km.
        close(
            haversine_km(40.7128, -74.0060, 34.0522, -118.2437),
            3936.0,
            10.0,
        );
    }

    #[test]
    fn one_degree_of_longitude_on_the_equator() {
        // 2πR / 360 with R = 6371.0088 km.
        close(haversine_km(0.0, 0.0, 0.0, 1.0), 111.19508, 1e-4);
    }

    #[test]
    fn antipodes_are_half_the_circumference() {
        close(
            haversine_km(0.0, 0.0, 0.0, 180.0),
            std::f64::consts::PI * EARTH_RADIUS_KM,
            1e-6,
        );
        close(
            haversine_km(90.0, 0.0, -90.0, 0.0),
            std::f64::consts::PI * EARTH_RADIUS_KM,
            1e-6,
        );
    }

    #[test]
    fn symmetric() {
        let a = haversine_km(42.3601, -71.0589, 59.9075, 10.7531);
        let b = haversine_km(59.9075, 10.7531, 42.3601, -71.0589);
        close(a, b, 1e-9);
    }

    #[test]
    fn miles() {
        close(48.0 / KM_PER_MILE, 29.8258, 1e-4);
    }
}
