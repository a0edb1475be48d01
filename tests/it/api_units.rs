//! api_units
