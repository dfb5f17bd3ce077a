//! The container's file system. (Placeholder until the shell and image catalogue land.)
