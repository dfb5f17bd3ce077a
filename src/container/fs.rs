//! The container's own file system.
//!
//! An image's files are static, sorted tables (`Seed` layers) shared by every container made from
//! it; a container only stores what it changed (an overlay of written files, created directories and
//! whiteouts for removed image files). Creating or cloning a container therefore copies a handful of
//! entries at most, which keeps a world of a thousand containers cheap to checkpoint.

use std::collections::BTreeMap;
use std::sync::Arc;

/// One entry of an image layer: a path and, for a file, its contents (`None` is a directory).
/// Layers are sorted by path, so lookups are binary searches.
pub type Seed = (&'static str, Option<&'static str>);

/// The largest file the shell may write, and the most entries a container may create. They stand
/// for a full disk: hostile scripts (`while true; do echo x >> f; done`) stay bounded.
pub const MAX_FILE_BYTES: usize = 1 << 20;
pub const MAX_OVERLAY_ENTRIES: usize = 20_000;

/// Linux's `PATH_MAX`: a path of more bytes is refused with `ENAMETOOLONG`. The shell hands the
/// file system absolute paths, so an endless `mkdir d; cd d` ends here instead of growing its
/// paths without bound.
pub const PATH_MAX: usize = 4096;

/// Why a file operation failed; commands turn these into their own messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotDir,
    IsDir,
    Exists,
    NotEmpty,
    NoSpace,
    NameTooLong,
}

impl FsError {
    /// The C library's text for the error (`strerror`).
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::NoSpace => "No space left on device",
            FsError::NameTooLong => "File name too long",
        }
    }
}

/// What a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    Dir,
    File(&'a str),
}

/// What a path holds, with a file's contents ready to hand out: an image's own files are
/// borrowed from the catalogue, files written in the container are copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Dir,
    File(std::borrow::Cow<'static, str>),
}

/// A container file system: static image layers below a private overlay.
#[derive(Clone, Debug)]
pub struct Fs {
    layers: &'static [&'static [Seed]],
    overlay: BTreeMap<Arc<str>, Entry>,
    /// Counts changes, so that what was read from the file system can be reused until it changes.
    generation: u64,
}

/// A resolved path, telling a file written in the container from one of the image's own.
enum Found<'a> {
    Dir,
    Written(&'a str),
    Image(&'static str),
}

#[derive(Clone, Debug)]
enum Entry {
    Dir,
    File(String),
    /// An image entry that was removed.
    Gone,
}

impl Fs {
    /// A file system made of the given image layers (later layers do not override earlier ones;
    /// the catalogue never lists a path twice).
    pub fn new(layers: &'static [&'static [Seed]]) -> Fs {
        Fs { layers, overlay: BTreeMap::new(), generation: 0 }
    }

    /// A number that changes whenever the file system does.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The overlay, for changing it: every change goes through here and moves the generation on.
    fn overlay_mut(&mut self) -> &mut BTreeMap<Arc<str>, Entry> {
        self.generation += 1;
        &mut self.overlay
    }

    /// What `path` (absolute, normalised) holds.
    pub fn get(&self, path: &str) -> Option<Node<'_>> {
        self.find(path).map(|found| match found {
            Found::Dir => Node::Dir,
            Found::Written(text) | Found::Image(text) => Node::File(text),
        })
    }

    /// Like [`Fs::get`], for serving a file's contents without copying an image's files.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        self.find(path).map(|found| match found {
            Found::Dir => Lookup::Dir,
            Found::Written(text) => Lookup::File(text.to_string().into()),
            Found::Image(text) => Lookup::File(text.into()),
        })
    }

    /// Resolves a path: the overlay first (a written file, a created directory or a removal),
    /// then the image layers.
    fn find(&self, path: &str) -> Option<Found<'_>> {
        if path == "/" {
            return Some(Found::Dir);
        }
        if let Some(entry) = if self.overlay.is_empty() { None } else { self.overlay.get(path) } {
            return match entry {
                Entry::Dir => Some(Found::Dir),
                Entry::File(text) => Some(Found::Written(text)),
                Entry::Gone => None,
            };
        }
        self.seed(path).map(|content| match content {
            None => Found::Dir,
            Some(text) => Found::Image(text),
        })
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Node::Dir))
    }

    pub fn is_file(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Node::File(_)))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Reads a file.
    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        match self.get(path) {
            Some(Node::File(text)) => Ok(text),
            Some(Node::Dir) => Err(FsError::IsDir),
            None => Err(self.missing(path)),
        }
    }

    /// Writes (or appends to) a file, creating it when its directory exists.
    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        match self.get(path) {
            Some(Node::Dir) => Err(FsError::IsDir),
            Some(Node::File(old)) => {
                let len = if append { old.len() + text.len() } else { text.len() };
                if len > MAX_FILE_BYTES {
                    return Err(FsError::NoSpace);
                }
                let content = if append { format!("{old}{text}") } else { text.to_string() };
                self.overlay_mut().insert(Arc::from(path), Entry::File(content));
                Ok(())
            }
            None => {
                self.check_parent(path)?;
                if text.len() > MAX_FILE_BYTES || self.overlay.len() >= MAX_OVERLAY_ENTRIES {
                    return Err(FsError::NoSpace);
                }
                self.overlay_mut().insert(Arc::from(path), Entry::File(text.to_string()));
                Ok(())
            }
        }
    }

    /// Creates an empty file unless the path exists (`touch`).
    pub fn touch(&mut self, path: &str) -> Result<(), FsError> {
        if self.exists(path) {
            return Ok(());
        }
        self.write(path, "", false)
    }

    /// Creates a directory; with `parents`, creates missing parents and accepts an existing one.
    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        match self.get(path) {
            Some(Node::Dir) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        if parents {
            let parent = parent_of(path);
            if parent != path {
                match self.get(parent) {
                    Some(Node::Dir) => {}
                    Some(Node::File(_)) => return Err(FsError::NotDir),
                    None => self.mkdir(parent, true)?,
                }
            }
        } else {
            self.check_parent(path)?;
        }
        if path.len() >= PATH_MAX {
            return Err(FsError::NameTooLong);
        }
        if self.overlay.len() >= MAX_OVERLAY_ENTRIES {
            return Err(FsError::NoSpace);
        }
        self.overlay_mut().insert(Arc::from(path), Entry::Dir);
        Ok(())
    }

    /// Removes a file, or a directory with everything below it when `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.get(path) {
            None => return Err(self.missing(path)),
            Some(Node::Dir) if !recursive => return Err(FsError::IsDir),
            _ => {}
        }
        if path == "/" {
            // Removing the root is refused by `rm` itself; the file system keeps it.
            return Err(FsError::NotEmpty);
        }
        let prefix = format!("{path}/");
        let below: Vec<Arc<str>> = self
            .overlay
            .range::<str, _>((std::ops::Bound::Excluded(path), std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for key in below {
            self.overlay_mut().remove(&key);
        }
        self.overlay_mut().remove(path);
        for layer in self.layers {
            for (p, _) in layer.iter() {
                if *p == path || p.starts_with(&prefix) {
                    self.overlay_mut().insert(Arc::from(*p), Entry::Gone);
                }
            }
        }
        Ok(())
    }

    /// Everything below `dir` (not `dir` itself), as paths relative to it with the file contents
    /// (`None` for directories), sorted by path. Used to share pod volumes between containers.
    pub fn tree(&self, dir: &str) -> Vec<(String, Option<String>)> {
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        self.entries()
            .into_iter()
            .filter_map(|e| {
                let rel = e.path.strip_prefix(&prefix)?.to_string();
                let content = if e.is_dir { None } else { self.read(&e.path).ok().map(str::to_string) };
                Some((rel, content))
            })
            .collect()
    }

    /// Makes `dir` a directory holding exactly `tree` (as [`Fs::tree`] returns it): what a volume
    /// mounted there shows, hiding whatever the image had at that path.
    pub fn replace_tree(&mut self, dir: &str, tree: &[(String, Option<String>)]) {
        if self.exists(dir) && dir != "/" {
            let _ = self.remove(dir, true);
        }
        let _ = self.mkdir(dir, true);
        for (rel, content) in tree {
            let path = if dir == "/" { format!("/{rel}") } else { format!("{dir}/{rel}") };
            match content {
                None => {
                    let _ = self.mkdir(&path, true);
                }
                Some(text) => {
                    let _ = self.mkdir(parent_of(&path), true);
                    let _ = self.write(&path, text, false);
                }
            }
        }
    }

    /// The names in a directory, sorted, each with whether it is a directory.
    pub fn list(&self, dir: &str) -> Result<Vec<(String, bool)>, FsError> {
        match self.get(dir) {
            Some(Node::Dir) => {}
            Some(Node::File(_)) => return Err(FsError::NotDir),
            None => return Err(FsError::NotFound),
        }
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        let mut names: BTreeMap<String, bool> = BTreeMap::new();
        let mut consider = |path: &str| {
            if let Some(rest) = path.strip_prefix(prefix.as_str()) {
                if !rest.is_empty() && !rest.contains('/') {
                    if let Some(node) = self.get(path) {
                        names.insert(rest.to_string(), node == Node::Dir);
                    }
                }
            }
        };
        // Layers are sorted by path, so the entries below `dir` are one contiguous run.
        for layer in self.layers {
            let start = layer.partition_point(|(p, _)| *p < prefix.as_str());
            for (p, _) in layer[start..].iter().take_while(|(p, _)| p.starts_with(prefix.as_str())) {
                consider(p);
            }
        }
        for key in self.overlay.keys() {
            consider(key);
        }
        Ok(names.into_iter().collect())
    }

    /// Every file and directory, sorted by path.
    pub fn entries(&self) -> Vec<super::FileEntry> {
        let mut all: BTreeMap<&str, ()> = BTreeMap::new();
        for layer in self.layers {
            for (p, _) in layer.iter() {
                all.insert(p, ());
            }
        }
        for key in self.overlay.keys() {
            all.insert(key, ());
        }
        all.keys()
            .filter_map(|p| {
                self.get(p).map(|node| super::FileEntry {
                    path: p.to_string(),
                    is_dir: node == Node::Dir,
                    size: match node {
                        Node::Dir => 0,
                        Node::File(t) => t.len(),
                    },
                })
            })
            .collect()
    }

    fn seed(&self, path: &str) -> Option<Option<&'static str>> {
        // Image-specific layers come last and hold the files servers are asked for most.
        for layer in self.layers.iter().rev() {
            if let Ok(i) = layer.binary_search_by(|(p, _)| (*p).cmp(path)) {
                return Some(layer[i].1);
            }
        }
        None
    }

    fn check_parent(&self, path: &str) -> Result<(), FsError> {
        if path.len() >= PATH_MAX {
            return Err(FsError::NameTooLong);
        }
        match self.get(parent_of(path)) {
            Some(Node::Dir) => Ok(()),
            Some(Node::File(_)) => Err(FsError::NotDir),
            None => Err(FsError::NotFound),
        }
    }

    /// `ENOENT`, or `ENOTDIR` when a leading component is a file.
    fn missing(&self, path: &str) -> FsError {
        let mut p = parent_of(path);
        loop {
            match self.get(p) {
                Some(Node::File(_)) => return FsError::NotDir,
                Some(Node::Dir) => return FsError::NotFound,
                None if p == "/" => return FsError::NotFound,
                None => p = parent_of(p),
            }
        }
    }
}

/// The directory part of an absolute, normalised path (`/` for top-level entries).
pub fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Makes `path` absolute against `cwd` and resolves `.`, `..` and repeated slashes.
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined;
    let full = if path.starts_with('/') {
        path
    } else {
        joined = format!("{cwd}/{path}");
        &joined
    };
    for part in full.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        let mut out = String::with_capacity(full.len());
        for p in parts {
            out.push('/');
            out.push_str(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static LAYER: &[Seed] = &[
        ("/etc", None),
        ("/etc/hostname", Some("x\n")),
        ("/tmp", None),
        ("/www", None),
        ("/www/a.html", Some("a")),
        ("/www/sub", None),
        ("/www/sub/b.html", Some("b")),
    ];
    static LAYERS: &[&[Seed]] = &[LAYER];

    #[test]
    fn overlay_reads_writes_and_whiteouts() {
        let mut fs = Fs::new(LAYERS);
        assert_eq!(fs.read("/www/a.html"), Ok("a"));
        fs.write("/tmp/f", "1", false).unwrap();
        fs.write("/tmp/f", "2", true).unwrap();
        assert_eq!(fs.read("/tmp/f"), Ok("12"));
        assert_eq!(fs.write("/nope/f", "", false), Err(FsError::NotFound));
        assert_eq!(fs.write("/tmp/f/g", "", false), Err(FsError::NotDir));
        assert_eq!(fs.remove("/www", false), Err(FsError::IsDir));
        let copy = fs.clone();
        fs.remove("/www", true).unwrap();
        assert!(!fs.exists("/www/sub/b.html") && !fs.exists("/www"));
        assert!(copy.exists("/www/sub/b.html"), "clones are independent");
        fs.mkdir("/www/x/y", true).unwrap();
        assert!(fs.is_dir("/www/x/y"));
        assert_eq!(fs.list("/www").unwrap(), vec![("x".to_string(), true)]);
        assert_eq!(fs.mkdir("/a/b", false), Err(FsError::NotFound));
        assert_eq!(fs.read("/tmp/f/x"), Err(FsError::NotDir));
    }

    #[test]
    fn normalizes_paths() {
        for (cwd, p, want) in [
            ("/", "tmp", "/tmp"),
            ("/a/b", "../c", "/a/c"),
            ("/", "//x//./y/", "/x/y"),
            ("/", "/..", "/"),
            ("/a", ".", "/a"),
        ] {
            assert_eq!(normalize(cwd, p), want);
        }
    }
}
