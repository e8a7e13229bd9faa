//! The catalog's data: the real images' `linux/amd64` configuration and build history, from Docker's official
//! images as docker-library/repo-info records them (`repos/<name>/local/<tag>.md` for configuration, creation time
//! and on-disk size; `repos/<name>/remote/<tag>.md` for the history and the compressed layer sizes). Ubuntu,
//! alpine, busybox, nginx and python are the versions their `latest`/`3.12` tags named in the second half of
//! 2026; node 18 is the last `node:18` (`hydrogen`) image, built 2025-03-27 before the line reached its end of life.

use super::{CatalogImage, Step};
use crate::engine::Labels;
use crate::engine::sim::state::ImageConfig;

const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
}

fn busybox() -> ImageConfig {
    ImageConfig { cmd: strings(&["sh"]), env: strings(&[PATH_ENV]), ..ImageConfig::default() }
}

fn alpine() -> ImageConfig {
    ImageConfig { cmd: strings(&["/bin/sh"]), env: strings(&[PATH_ENV]), ..ImageConfig::default() }
}

/// Canonical's description of the image, as a label (it ends with a newline).
macro_rules! ubuntu_description {
    () => {
        "The Ubuntu container image maintained by Canonical\n\nUbuntu is a Debian-based Linux operating system that runs from the desktop to the cloud, to all your internet connected things.\nIt is the world's most popular operating system across public clouds and OpenStack clouds.\nIt is the number one platform for containers; from Docker to Kubernetes to LXD, Ubuntu can run your containers at scale.\nFast, secure and simple, Ubuntu powers millions of PCs worldwide.\n"
    };
}

/// Where Canonical's rockcraft build kept the image it was making.
macro_rules! ubuntu_build {
    () => {
        "/home/buildd/rockcraft-ubuntu-cb40fbba9124333e0158d7876ea798fa/images/"
    };
}

fn ubuntu() -> ImageConfig {
    ImageConfig {
        cmd: strings(&["/bin/bash"]),
        env: strings(&[PATH_ENV]),
        labels: labels(&[
            ("org.opencontainers.image.created", "2026-07-24T12:48:28.650696+00:00"),
            ("org.opencontainers.image.description", ubuntu_description!()),
            ("org.opencontainers.image.title", "ubuntu"),
            ("org.opencontainers.image.version", "26.04"),
        ]),
        ..ImageConfig::default()
    }
}

fn node() -> ImageConfig {
    ImageConfig {
        cmd: strings(&["node"]),
        entrypoint: strings(&["docker-entrypoint.sh"]),
        env: strings(&[PATH_ENV, "NODE_VERSION=18.20.8", "YARN_VERSION=1.22.22"]),
        ..ImageConfig::default()
    }
}

fn nginx() -> ImageConfig {
    ImageConfig {
        cmd: strings(&["nginx", "-g", "daemon off;"]),
        entrypoint: strings(&["/docker-entrypoint.sh"]),
        env: strings(&[
            PATH_ENV,
            "NGINX_VERSION=1.31.3",
            "NJS_VERSION=1.0.0",
            "NJS_RELEASE=1~trixie",
            "ACME_VERSION=0.4.1",
            "PKG_RELEASE=1~trixie",
            "DYNPKG_RELEASE=1~trixie",
        ]),
        exposed_ports: strings(&["80/tcp"]),
        labels: labels(&[("maintainer", "NGINX Docker Maintainers <docker-maint@nginx.com>")]),
        stop_signal: Some("SIGQUIT".to_string()),
        ..ImageConfig::default()
    }
}

fn python() -> ImageConfig {
    ImageConfig {
        cmd: strings(&["python3"]),
        env: strings(&[
            "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG=C.UTF-8",
            "GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305",
            "PYTHON_VERSION=3.12.14",
            "PYTHON_SHA256=5c8462af5790baf43a321a1559dbe0db06d1be4300fb85fb53c40060668e548a",
        ]),
        ..ImageConfig::default()
    }
}

const NODE_ENTRYPOINT: &str = "#!/bin/sh\nset -e\n\n# Run node when the first argument is an option or a file rather than a program.\nif [ \"${1#-}\" != \"${1}\" ] || [ -z \"$(command -v \"${1}\" 2>/dev/null)\" ] || { [ -f \"${1}\" ] && ! [ -x \"${1}\" ]; }; then\n  set -- node \"$@\"\nfi\n\nexec \"$@\"\n";

const NGINX_ENTRYPOINT: &str = "#!/bin/sh\nset -e\n\nif [ \"$1\" = \"nginx\" ]; then\n  echo \"/docker-entrypoint.sh: Configuration complete; ready for start up\"\nfi\n\nexec \"$@\"\n";

const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";

const fn step(created: i64, created_by: &'static str, layer: Option<i64>, buildkit: bool) -> Step {
    Step { created, created_by, layer, buildkit }
}

/// A metadata-only BuildKit step.
const fn meta(created: i64, created_by: &'static str) -> Step {
    step(created, created_by, None, true)
}

/// A BuildKit step that made a layer of `compressed` bytes.
const fn layer(created: i64, created_by: &'static str, compressed: i64) -> Step {
    step(created, created_by, Some(compressed), true)
}

const BUSYBOX: &[Step] = &[step(1_778_638_909, "BusyBox 1.38.0 (glibc), Debian 13", Some(2_226_327), false)];

const ALPINE: &[Step] = &[
    layer(1_789_677_440, "ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit", 3_849_738),
    meta(1_789_677_440, "CMD [\"/bin/sh\"]"),
];

const UBUNTU: &[Step] = &[
    step(
        1_784_897_307,
        concat!(
            "umoci raw add-layer --image ",
            ubuntu_build!(),
            "ubuntu:rockcraft-base ",
            ubuntu_build!(),
            ".temp_layer.9094.tar --tag 26.04"
        ),
        Some(41_568_275),
        false,
    ),
    step(
        1_784_897_308,
        concat!("umoci config --image ", ubuntu_build!(), "ubuntu:26.04 --clear=config.entrypoint --clear=config.cmd"),
        None,
        false,
    ),
    step(
        1_784_897_308,
        concat!("umoci config --image ", ubuntu_build!(), "ubuntu:26.04 --clear=config.cmd --config.cmd /bin/bash"),
        None,
        false,
    ),
    step(
        1_784_897_308,
        concat!(
            "umoci config --image ",
            ubuntu_build!(),
            "ubuntu:26.04 --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        ),
        None,
        false,
    ),
    step(
        1_784_897_308,
        concat!(
            "umoci config --image ",
            ubuntu_build!(),
            "ubuntu:26.04 --clear=config.labels --config.label org.opencontainers.image.version=26.04 --config.label org.opencontainers.image.title=ubuntu --config.label org.opencontainers.image.created=2026-07-24T12:48:28.650696+00:00 --config.label org.opencontainers.image.description=",
            ubuntu_description!()
        ),
        None,
        false,
    ),
    step(
        1_784_897_308,
        concat!(
            "umoci config --image ",
            ubuntu_build!(),
            "ubuntu:26.04 --clear=manifest.annotations --manifest.annotation org.opencontainers.image.version=26.04 --manifest.annotation org.opencontainers.image.title=ubuntu --manifest.annotation org.opencontainers.image.created=2026-07-24T12:48:28.650696+00:00 --manifest.annotation org.opencontainers.image.description=",
            ubuntu_description!()
        ),
        None,
        false,
    ),
    step(
        1_784_897_308,
        concat!(
            "umoci raw add-layer --image ",
            ubuntu_build!(),
            "ubuntu:26.04 ",
            ubuntu_build!(),
            ".temp_layer.control_data.9094.tar"
        ),
        Some(389),
        false,
    ),
];

const NGINX_INSTALL: &str = "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     &&     NGINX_GPGKEYS=\"573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 8540A6F18833A80E9C1653A42FD21310B49F6B46 9E9BE90EACBCDE69FE9B204CBCDCD8A38D88A2B3\";     NGINX_GPGKEY_PATH=/etc/apt/keyrings/nginx-archive-keyring.gpg;     export GNUPGHOME=\"$(mktemp -d)\";     found='';     for NGINX_GPGKEY in $NGINX_GPGKEYS; do     for server in         hkp://keyserver.ubuntu.com:80         pgp.mit.edu     ; do         echo \"Fetching GPG key $NGINX_GPGKEY from $server\";         gpg1 --batch --keyserver \"$server\" --keyserver-options timeout=10 --recv-keys \"$NGINX_GPGKEY\" && found=yes && break;     done;     test -z \"$found\" && echo >&2 \"error: failed to fetch GPG key $NGINX_GPGKEY\" && exit 1;     done;     gpg1 --batch --export $NGINX_GPGKEYS > \"$NGINX_GPGKEY_PATH\" ;     rm -rf \"$GNUPGHOME\";     apt-get remove --purge --auto-remove -y gnupg1 && rm -rf /var/lib/apt/lists/*     && dpkgArch=\"$(dpkg --print-architecture)\"     && nginxPackages=\"         nginx=${NGINX_VERSION}-${PKG_RELEASE}         nginx-module-xslt=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-geoip=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-image-filter=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-njs=${NGINX_VERSION}+${NJS_VERSION}-${NJS_RELEASE}         nginx-module-acme=${NGINX_VERSION}+${ACME_VERSION}-${PKG_RELEASE}     \"     && case \"$dpkgArch\" in         amd64|arm64)             echo \"deb [signed-by=$NGINX_GPGKEY_PATH] https://nginx.org/packages/mainline/debian/ trixie nginx\" >> /etc/apt/sources.list.d/nginx.list             && apt-get update             ;;         *)             tempDir=\"$(mktemp -d)\"             && chmod 777 \"$tempDir\"                         && savedAptMark=\"$(apt-mark showmanual)\"                         && apt-get update             && apt-get install --no-install-recommends --no-install-suggests -y                 cargo                 curl                 devscripts                 equivs                 git                 libxml2-utils                 lsb-release                 xsltproc             && (                 cd \"$tempDir\"                 && export CARGO_HOME=\"$tempDir/.cargo\"                 && REVISION=\"${NGINX_VERSION}-${PKG_RELEASE}\"                 && REVISION=${REVISION%~*}                 && curl -f -L -O https://github.com/nginx/pkg-oss/archive/${REVISION}.tar.gz                 && PKGOSSCHECKSUM=\"524b75cc72657ce77d90cd25c305aba0a19a7f8a3e5dec8e1cc585cd7985663a444c7873e9040b4576285b49ac117c1ea4bb4077dc592eca52316935e1f75adf *${REVISION}.tar.gz\"                 && if [ \"$(openssl sha512 -r ${REVISION}.tar.gz)\" = \"$PKGOSSCHECKSUM\" ]; then                     echo \"pkg-oss tarball checksum verification succeeded!\";                 else                     echo \"pkg-oss tarball checksum verification failed!\";                     exit 1;                 fi                 && tar xzvf ${REVISION}.tar.gz                 && cd pkg-oss-${REVISION}                 && cd debian                 && for target in base module-geoip module-image-filter module-njs module-xslt module-acme; do                     make rules-$target;                     mk-build-deps --install --tool=\"apt-get -o Debug::pkgProblemResolver=yes --no-install-recommends --yes\"                         debuild-$target/nginx-$NGINX_VERSION/debian/control;                 done                 && make base module-geoip module-image-filter module-njs module-xslt module-acme             )                         && apt-mark showmanual | xargs apt-mark auto > /dev/null             && { [ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark; }                         && ls -lAFh \"$tempDir\"             && ( cd \"$tempDir\" && dpkg-scanpackages . > Packages )             && grep '^Package: ' \"$tempDir/Packages\"             && echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list             && apt-get -o Acquire::GzipIndexes=false update             ;;     esac         && apt-get install --no-install-recommends --no-install-suggests -y                         $nginxPackages                         gettext-base                         curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list         && if [ -n \"$tempDir\" ]; then         apt-get purge -y --auto-remove         && rm -rf \"$tempDir\" /etc/apt/sources.list.d/temp.list;     fi     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d # buildkit";

const NGINX: &[Step] = &[
    step(1_783_900_800, "# debian.sh --arch 'amd64' out/ 'trixie' '@1783900800'", Some(29_780_905), false),
    meta(1_784_158_255, "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>"),
    meta(1_784_158_255, "ENV NGINX_VERSION=1.31.3"),
    meta(1_784_158_255, "ENV NJS_VERSION=1.0.0"),
    meta(1_784_158_255, "ENV NJS_RELEASE=1~trixie"),
    meta(1_784_158_255, "ENV ACME_VERSION=0.4.1"),
    meta(1_784_158_255, "ENV PKG_RELEASE=1~trixie"),
    meta(1_784_158_255, "ENV DYNPKG_RELEASE=1~trixie"),
    layer(1_784_158_255, NGINX_INSTALL, 33_325_076),
    layer(1_784_158_255, "COPY docker-entrypoint.sh / # buildkit", 626),
    layer(1_784_158_255, "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit", 955),
    layer(1_784_158_255, "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit", 403),
    layer(1_784_158_255, "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit", 1_210),
    layer(1_784_158_255, "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit", 1_397),
    meta(1_784_158_255, "ENTRYPOINT [\"/docker-entrypoint.sh\"]"),
    meta(1_784_158_255, "EXPOSE map[80/tcp:{}]"),
    meta(1_784_158_255, "STOPSIGNAL SIGQUIT"),
    meta(1_784_158_255, "CMD [\"nginx\" \"-g\" \"daemon off;\"]"),
];

const BUILDPACK_DEPS_BOOKWORM: &str = "RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses5-dev \t\tlibncursesw5-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/* # buildkit";

const NODE_INSTALL: &str = "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\"   && case \"${dpkgArch##*-}\" in     amd64) ARCH='x64';;     ppc64el) ARCH='ppc64le';;     s390x) ARCH='s390x';;     arm64) ARCH='arm64';;     armhf) ARCH='armv7l';;     i386) ARCH='x86';;     *) echo \"unsupported architecture\"; exit 1 ;;   esac   && export GNUPGHOME=\"$(mktemp -d)\"   && set -ex   && for key in     C0D6248439F1D5604AAFFB4021D900FFDB233756     DD792F5973C6DE52C432CBDAC77ABFA00DDBF2B7     CC68F5A3106FF448322E48ED27F5E38D5B0A215F     8FCCA13FEF1D0C2E91008E09770F7A9A5AE15600     890C08DB8579162FEE0DF9DB8BEAB4DFCF555EF4     C82FA3AE1CBEDC6BE46B9360C43CEC45C17AB93C     108F52B48DB57BB0CC439B2997B01419BD92F80A     A363A499291CBBC940DD62E41F10027AF002F8B0   ; do       gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$key\" ||       gpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\" ;   done   && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\"   && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc\"   && gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc   && gpgconf --kill all   && rm -rf \"$GNUPGHOME\"   && grep \" node-v$NODE_VERSION-linux-$ARCH.tar.xz\\$\" SHASUMS256.txt | sha256sum -c -   && tar -xJf \"node-v$NODE_VERSION-linux-$ARCH.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner   && rm \"node-v$NODE_VERSION-linux-$ARCH.tar.xz\" SHASUMS256.txt.asc SHASUMS256.txt   && ln -s /usr/local/bin/node /usr/local/bin/nodejs   && node --version   && npm --version # buildkit";

const YARN_INSTALL: &str = "RUN /bin/sh -c set -ex   && export GNUPGHOME=\"$(mktemp -d)\"   && for key in     6A010C5166006599AA17F08146C2130DFD2497F5   ; do     gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$key\" ||     gpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\" ;   done   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz.asc\"   && gpg --batch --verify yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz   && gpgconf --kill all   && rm -rf \"$GNUPGHOME\"   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && rm yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz   && yarn --version   && rm -rf /tmp/* # buildkit";

const NODE: &[Step] = &[
    step(1_683_761_399, "# debian.sh --arch 'amd64' out/ 'bookworm' '@1745798400'", Some(48_491_199), false),
    layer(
        1_683_761_399,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \trm -rf /var/lib/apt/lists/* # buildkit",
        24_011_181,
    ),
    layer(
        1_704_762_865,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \trm -rf /var/lib/apt/lists/* # buildkit",
        64_394_427,
    ),
    layer(1_704_762_865, BUILDPACK_DEPS_BOOKWORM, 211_356_050),
    layer(
        1_743_085_388,
        "RUN /bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node # buildkit",
        3_324,
    ),
    meta(1_743_085_388, "ENV NODE_VERSION=18.20.8"),
    layer(1_743_085_388, NODE_INSTALL, 45_675_495),
    meta(1_743_085_388, "ENV YARN_VERSION=1.22.22"),
    layer(1_743_085_388, YARN_INSTALL, 1_250_674),
    layer(1_743_085_388, "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", 447),
    meta(1_743_085_388, "ENTRYPOINT [\"docker-entrypoint.sh\"]"),
    meta(1_743_085_388, "CMD [\"node\"]"),
];

const BUILDPACK_DEPS_TRIXIE: &str = "RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses5-dev \t\tlibncursesw5-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \tapt-get dist-clean # buildkit";

const PYTHON_BUILD: &str = "RUN /bin/sh -c set -eux; \t\twget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; \techo \"$PYTHON_SHA256 *python.tar.xz\" | sha256sum -c -; \twget -O python.tar.xz.asc \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz.asc\"; \tGNUPGHOME=\"$(mktemp -d)\"; export GNUPGHOME; \tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$GPG_KEY\"; \tgpg --batch --verify python.tar.xz.asc python.tar.xz; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\" python.tar.xz.asc; \tmkdir -p /usr/src/python; \ttar --extract --directory /usr/src/python --strip-components=1 --file python.tar.xz; \trm python.tar.xz; \t\tcd /usr/src/python; \tgnuArch=\"$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)\"; \t./configure \t\t--build=\"$gnuArch\" \t\t--enable-loadable-sqlite-extensions \t\t--enable-optimizations \t\t--enable-option-checking=fatal \t\t--enable-shared \t\t$(test \"${gnuArch%%-*}\" != 'riscv64' && echo '--with-lto') \t\t--with-ensurepip \t; \tnproc=\"$(nproc)\"; \tEXTRA_CFLAGS=\"$(dpkg-buildflags --get CFLAGS)\"; \tLDFLAGS=\"$(dpkg-buildflags --get LDFLAGS)\"; \tarch=\"$(dpkg --print-architecture)\"; arch=\"${arch##*-}\"; \tcase \"$arch\" in \t\tamd64|arm64) \t\t\tEXTRA_CFLAGS=\"${EXTRA_CFLAGS:-} -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer\"; \t\t\t;; \t\ti386) \t\t\t;; \t\t*) \t\t\tEXTRA_CFLAGS=\"${EXTRA_CFLAGS:-} -fno-omit-frame-pointer\"; \t\t\t;; \tesac; \tmake -j \"$nproc\" \t\t\"EXTRA_CFLAGS=${EXTRA_CFLAGS:-}\" \t\t\"LDFLAGS=${LDFLAGS:-}\" \t; \trm python; \tmake -j \"$nproc\" \t\t\"EXTRA_CFLAGS=${EXTRA_CFLAGS:-}\" \t\t\"LDFLAGS=${LDFLAGS:-} -Wl,-rpath='\\$\\$ORIGIN/../lib'\" \t\tpython \t; \tmake install; \t\tbin=\"$(readlink -ve /usr/local/bin/python3)\"; \tdir=\"$(dirname \"$bin\")\"; \tmkdir -p \"/usr/share/gdb/auto-load/$dir\"; \tcp -vL Tools/gdb/libpython.py \"/usr/share/gdb/auto-load/$bin-gdb.py\"; \t\tcd /; \trm -rf /usr/src/python; \t\tfind /usr/local -depth \t\t\\( \t\t\t\\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \t\t\t-o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \\) \\) \t\t\\) -exec rm -rf '{}' + \t; \t\tldconfig; \t\texport PYTHONDONTWRITEBYTECODE=1; \tpython3 --version; \tpip3 --version # buildkit";

const PYTHON: &[Step] = &[
    step(1_785_715_200, "# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'", Some(49_312_314), false),
    layer(
        1_785_890_704,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \tapt-get dist-clean # buildkit",
        25_638_637,
    ),
    layer(
        1_785_893_602,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \tapt-get dist-clean # buildkit",
        67_797_999,
    ),
    layer(1_785_896_229, BUILDPACK_DEPS_TRIXIE, 236_319_920),
    meta(1_786_649_674, "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    meta(1_786_649_674, "ENV LANG=C.UTF-8"),
    layer(
        1_786_649_674,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibbluetooth-dev \t\ttk-dev \t\tuuid-dev \t; \tapt-get dist-clean # buildkit",
        6_100_758,
    ),
    meta(1_786_649_674, "ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305"),
    meta(1_786_649_674, "ENV PYTHON_VERSION=3.12.14"),
    meta(1_786_649_674, "ENV PYTHON_SHA256=5c8462af5790baf43a321a1559dbe0db06d1be4300fb85fb53c40060668e548a"),
    layer(1_786_650_219, PYTHON_BUILD, 25_738_585),
    layer(
        1_786_650_219,
        "RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst=\"$(echo \"$src\" | tr -d 3)\"; \t\t[ -s \"/usr/local/bin/$src\" ]; \t\t[ ! -e \"/usr/local/bin/$dst\" ]; \t\tln -svT \"$src\" \"/usr/local/bin/$dst\"; \tdone # buildkit",
        246,
    ),
    meta(1_786_650_219, "CMD [\"python3\"]"),
];

pub static CATALOG: &[CatalogImage] = &[
    CatalogImage {
        tags: &["busybox:latest", "busybox:1", "busybox:1.38", "busybox:1.38.0", "busybox:glibc", "busybox:stable"],
        config: busybox,
        extra_programs: &[],
        files: &[],
        os: "BusyBox",
        created: 1_778_638_909_000_000_000,
        size: 4_450_000,
        steps: BUSYBOX,
    },
    CatalogImage {
        tags: &["alpine:latest", "alpine:3", "alpine:3.24", "alpine:3.24.2"],
        config: alpine,
        extra_programs: &[],
        files: &[],
        os: "Alpine Linux v3.24",
        created: 1_789_677_440_889_221_879,
        size: 8_420_000,
        steps: ALPINE,
    },
    CatalogImage {
        tags: &["ubuntu:latest", "ubuntu:26.04", "ubuntu:resolute", "ubuntu:resolute-20260724.1"],
        config: ubuntu,
        extra_programs: &["bash"],
        files: &[],
        os: "Ubuntu 26.04 LTS",
        created: 1_784_897_308_650_696_000,
        size: 100_170_000,
        steps: UBUNTU,
    },
    CatalogImage {
        tags: &["node:18", "node:18-bookworm", "node:18.20", "node:18.20.8", "node:18.20.8-bookworm", "node:hydrogen"],
        config: node,
        extra_programs: &["node", "nodejs", "npm", "npx", "yarn", "yarnpkg"],
        files: &[("usr/local/bin/docker-entrypoint.sh", NODE_ENTRYPOINT)],
        os: "Debian GNU/Linux 12 (bookworm)",
        created: 1_743_085_388_000_000_000,
        size: 1_090_000_000,
        steps: NODE,
    },
    CatalogImage {
        tags: &["nginx:latest", "nginx:mainline", "nginx:1", "nginx:1.31", "nginx:1.31.3"],
        config: nginx,
        extra_programs: &["nginx"],
        files: &[("docker-entrypoint.sh", NGINX_ENTRYPOINT), ("usr/share/nginx/html/index.html", NGINX_INDEX)],
        os: "Debian GNU/Linux 13 (trixie)",
        created: 1_784_158_255_953_154_252,
        size: 161_330_000,
        steps: NGINX,
    },
    CatalogImage {
        tags: &["python:3.12", "python:3.12.14", "python:3.12-trixie", "python:3.12.14-trixie"],
        config: python,
        extra_programs: &["python3", "python", "pip", "pip3"],
        files: &[],
        os: "Debian GNU/Linux 13 (trixie)",
        created: 1_786_650_219_000_000_000,
        size: 1_110_000_000,
        steps: PYTHON,
    },
];
