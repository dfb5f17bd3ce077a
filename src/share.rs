//! Share links: a scenario and the view state, compressed into a URL fragment.
//! (Placeholder until the codec lands.)
