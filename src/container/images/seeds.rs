//! The files the catalogue's images are seeded with: distribution bases and each image's own
//! files, as the real images have them (paths, configuration and welcome pages), so that `cat`,
//! `ls` and the servers read what a real container would.

use crate::container::fs::Seed;

/// The first bytes of an ELF executable: what a binary looks like to `cat` and `head`.
pub(super) const ELF: &str = "\u{7f}ELF\u{2}\u{1}\u{1}";

pub(super) static BUSYBOX_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/busybox", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/dev", None),
    ("/etc", None),
    ("/etc/group", Some("root:x:0:\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/sh\n")),
    ("/home", None),
    ("/proc", None),
    ("/root", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/sbin", None),
    ("/var", None),
    ("/var/log", None),
];

pub(super) static ALPINE_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/busybox", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/dev", None),
    ("/etc", None),
    ("/etc/alpine-release", Some("3.22.1\n")),
    ("/etc/group", Some("root:x:0:root\n")),
    ("/etc/os-release", Some("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.1\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/sh\n")),
    ("/home", None),
    ("/lib", None),
    ("/proc", None),
    ("/root", None),
    ("/run", None),
    ("/sbin", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/sbin", None),
    ("/usr/share", None),
    ("/var", None),
    ("/var/log", None),
];

pub(super) static DEBIAN_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/bash", Some(ELF)),
    ("/bin/cat", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/boot", None),
    ("/dev", None),
    ("/etc", None),
    ("/etc/debian_version", Some("12.11\n")),
    ("/etc/group", Some("root:x:0:\n")),
    ("/etc/init.d", None),
    ("/etc/os-release", Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/bash\n")),
    ("/home", None),
    ("/lib", None),
    ("/proc", None),
    ("/root", None),
    ("/run", None),
    ("/sbin", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/sbin", None),
    ("/usr/share", None),
    ("/var", None),
    ("/var/log", None),
];

pub(super) static UBUNTU_RELEASE: &[Seed] =
    &[("/etc/lsb-release", Some("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\n"))];

pub(super) static CENTOS_RELEASE: &[Seed] =
    &[("/etc/centos-release", Some("CentOS Linux release 7.9.2009 (Core)\n"))];

pub(super) static NGINX_FILES: &[Seed] = &[
    ("/docker-entrypoint.d", None),
    ("/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.d/20-envsubst-on-templates.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.d/30-tune-worker-processes.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.sh", Some("#!/bin/sh\nset -e\nexec \"$@\"\n")),
    ("/etc/nginx", None),
    ("/etc/nginx/conf.d", None),
    ("/etc/nginx/conf.d/default.conf", Some(NGINX_DEFAULT_CONF)),
    ("/etc/nginx/mime.types", Some("types {\n    text/html html htm shtml;\n    text/css css;\n}\n")),
    ("/etc/nginx/nginx.conf", Some(NGINX_CONF)),
    ("/usr/sbin/nginx", Some(ELF)),
    ("/usr/share/nginx", None),
    ("/usr/share/nginx/html", None),
    ("/var/cache/nginx", None),
    ("/var/log/nginx", None),
    ("/var/log/nginx/access.log", Some("")),
    ("/var/log/nginx/error.log", Some("")),
];

pub(super) static NGINX_HTML: &[Seed] = &[
    ("/usr/share/nginx/html/50x.html", Some(NGINX_50X)),
    ("/usr/share/nginx/html/index.html", Some(NGINX_INDEX)),
];

pub(super) static NGINX_HTML_OLD: &[Seed] = &[
    ("/usr/share/nginx/html/50x.html", Some(NGINX_50X)),
    ("/usr/share/nginx/html/index.html", Some(NGINX_INDEX_OLD)),
];

pub(super) static MYAPP_HTML: &[Seed] = &[(
    "/usr/share/nginx/html/index.html",
    Some("Hello MyApp | Version: v1 | <a href=\"hostname.html\">Pod Name</a>\n"),
)];

pub(super) static HTTPD_FILES: &[Seed] = &[
    ("/usr/local/apache2", None),
    ("/usr/local/apache2/bin", None),
    ("/usr/local/apache2/bin/httpd", Some(ELF)),
    ("/usr/local/apache2/conf", None),
    ("/usr/local/apache2/conf/httpd.conf", Some("ServerRoot \"/usr/local/apache2\"\nListen 80\nDocumentRoot \"/usr/local/apache2/htdocs\"\nErrorLog /proc/self/fd/2\nCustomLog /proc/self/fd/1 common\n")),
    ("/usr/local/apache2/htdocs", None),
    ("/usr/local/apache2/htdocs/index.html", Some("<html><body><h1>It works!</h1></body></html>\n")),
    ("/usr/local/apache2/logs", None),
    ("/usr/local/bin/httpd-foreground", Some("#!/bin/sh\nset -e\nrm -f /usr/local/apache2/logs/httpd.pid\nexec httpd -DFOREGROUND \"$@\"\n")),
];

pub(super) static REDIS_FILES: &[Seed] = &[
    ("/data", None),
    ("/usr/local/bin/docker-entrypoint.sh", Some("#!/bin/sh\nset -e\nexec \"$@\"\n")),
    ("/usr/local/bin/redis-cli", Some(ELF)),
    ("/usr/local/bin/redis-server", Some(ELF)),
];

pub(super) static TOMCAT_FILES: &[Seed] = &[
    ("/usr/local/tomcat", None),
    ("/usr/local/tomcat/bin", None),
    ("/usr/local/tomcat/bin/catalina.sh", Some("#!/usr/bin/env bash\n")),
    ("/usr/local/tomcat/conf", None),
    ("/usr/local/tomcat/conf/server.xml", Some("<Server port=\"8005\" shutdown=\"SHUTDOWN\">\n  <Connector port=\"8080\" protocol=\"HTTP/1.1\" />\n</Server>\n")),
    ("/usr/local/tomcat/logs", None),
    ("/usr/local/tomcat/webapps", None),
];

pub(super) static TOMCAT_ROOT: &[Seed] = &[
    ("/usr/local/tomcat/webapps/ROOT", None),
    ("/usr/local/tomcat/webapps/ROOT/index.jsp", Some("<%@ page session=\"false\" %>\n")),
];

pub(super) static SCRATCH_LIVENESS: &[Seed] = &[("/server", Some(ELF))];
pub(super) static SCRATCH_GOPROXY: &[Seed] = &[("/goproxy", Some(ELF))];
pub(super) static SCRATCH_HTTP_ECHO: &[Seed] = &[("/http-echo", Some(ELF))];
pub(super) static CURL_FILES: &[Seed] =
    &[("/entrypoint.sh", Some(CURL_ENTRYPOINT)), ("/home/curl_user", None), ("/usr/bin/curl", Some(ELF))];
pub(super) static SCRATCH_PAUSE: &[Seed] = &[("/pause", Some(ELF))];
pub(super) static STRESS_FILES: &[Seed] = &[("/usr/local/bin/stress", Some(ELF))];
pub(super) static ETCD_FILES: &[Seed] = &[
    ("/etc", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/local/bin/etcd", Some(ELF)),
    ("/usr/local/bin/etcdctl", Some(ELF)),
    ("/var", None),
    ("/var/lib", None),
    ("/var/lib/etcd", None),
];
pub(super) static NODE_EXPORTER_FILES: &[Seed] = &[("/bin/node_exporter", Some(ELF))];
pub(super) static AGNHOST_FILES: &[Seed] = &[("/agnhost", Some(ELF))];
pub(super) static NACOS_FILES: &[Seed] = &[
    ("/home/nacos", None),
    ("/home/nacos/bin", None),
    ("/home/nacos/bin/docker-startup.sh", Some("#!/bin/bash\n")),
    ("/home/nacos/conf", None),
    (
        "/home/nacos/conf/application.properties",
        Some("server.servlet.contextPath=/nacos\nserver.port=8848\n"),
    ),
    ("/home/nacos/logs", None),
];
pub(super) static JAVA_FILES: &[Seed] = &[
    ("/opt/java", None),
    ("/opt/java/openjdk", None),
    ("/opt/java/openjdk/bin", None),
    ("/opt/java/openjdk/bin/java", Some(ELF)),
];

pub(super) const NGINX_DEFAULT_CONF: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n";
pub(super) const NGINX_CONF: &str = "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    access_log  /var/log/nginx/access.log  main;\n    include /etc/nginx/conf.d/*.conf;\n}\n";
pub(super) const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
pub(super) const NGINX_INDEX_OLD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
pub(super) const NGINX_50X: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

/// curlimages/curl's `/entrypoint.sh` (curl-container `etc/entrypoint.sh`), in words of our own:
/// a first argument that is an option, or that names no command, is given to curl. What it does
/// is `programs/curl.rs`; this is what `cat` shows.
const CURL_ENTRYPOINT: &str = "#!/bin/sh\nset -e\n# An option, or a word that is not a command, is curl's argument.\ncase \"$1\" in -*) set -- curl \"$@\" ;; esac\ncommand -v \"$1\" >/dev/null || set -- curl \"$@\"\nexec \"$@\"\n";
