//! The simulated shell. (Placeholder until the shell lands.)
