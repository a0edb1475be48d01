//! api_people
