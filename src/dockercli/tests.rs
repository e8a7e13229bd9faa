use super::*;

fn p(line: &str) -> Invocation {
    let argv: Vec<&str> = line.split_whitespace().collect();
    parse(&argv).expect("argv[0] is docker")
}

/// `(name, value)` of every command flag, for compact assertions.
fn flags(inv: &Invocation) -> Vec<(&'static str, Option<&str>)> {
    inv.flags.iter().map(|f| (f.name, f.value.as_deref())).collect()
}

fn args(inv: &Invocation) -> Vec<&str> {
    inv.args.iter().map(|a| a.value.as_str()).collect()
}

fn messages(inv: &Invocation) -> Vec<&str> {
    inv.errors.iter().map(|e| e.message.as_str()).collect()
}

#[test]
fn only_docker_is_parsed() {
    assert!(parse(&["podman", "run", "x"]).is_none());
    assert!(parse(&["dockerd"]).is_none());
    assert!(parse(&[]).is_none());
    assert!(parse(&["/usr/local/bin/docker", "ps"]).is_some());
    assert!(parse(&["C:\\Program Files\\Docker\\docker.exe", "ps"]).is_some());
}

#[test]
fn run_stops_parsing_flags_at_the_image() {
    let inv = p("docker run -d img ls -la");
    assert_eq!(inv.command, ["run"]);
    assert_eq!(flags(&inv), [("detach", None)]);
    assert_eq!(args(&inv), ["img", "ls", "-la"]);
    assert_eq!(inv.args[2].word, 5);
    assert!(inv.errors.is_empty());
}

#[test]
fn flags_after_the_image_belong_to_the_container_command() {
    let inv = p("docker run --rm alpine sh -c --rm");
    assert_eq!(flags(&inv), [("rm", None)]);
    assert_eq!(args(&inv), ["alpine", "sh", "-c", "--rm"]);
    // Unknown flags after the image are not Docker's business either.
    assert!(p("docker run alpine --frobnicate").errors.is_empty());
}

#[test]
fn other_commands_interleave_flags_and_positionals() {
    let inv = p("docker rm web -f db");
    assert_eq!(flags(&inv), [("force", None)]);
    assert_eq!(args(&inv), ["web", "db"]);
    let inv = p("docker build . -t app:1 --no-cache");
    assert_eq!(flags(&inv), [("tag", Some("app:1")), ("no-cache", None)]);
    assert_eq!(args(&inv), ["."]);
}

#[test]
fn exec_and_commit_stop_at_the_first_positional_too() {
    let inv = p("docker exec -it web sh -c ls");
    assert_eq!(flags(&inv), [("interactive", None), ("tty", None)]);
    assert_eq!(args(&inv), ["web", "sh", "-c", "ls"]);
    let inv = p("docker commit web img -p");
    assert_eq!(args(&inv), ["web", "img", "-p"]);
}

#[test]
fn bundles_of_shorthands() {
    let inv = p("docker run -dit alpine");
    assert_eq!(flags(&inv), [("detach", None), ("interactive", None), ("tty", None)]);
    assert!(inv.flags.iter().all(|f| f.word == 2));
    assert_eq!(inv.flags[1].given_as, "-i");
}

#[test]
fn a_value_flag_in_a_bundle_takes_the_rest_of_the_word_or_the_next_word() {
    let inv = p("docker run -itp 80:80 nginx");
    assert_eq!(flags(&inv), [("interactive", None), ("tty", None), ("publish", Some("80:80"))]);
    assert_eq!(inv.flags[2].value_word, Some(3));
    assert_eq!(args(&inv), ["nginx"]);

    let inv = p("docker run -itp8080:80 nginx");
    assert_eq!(flags(&inv)[2], ("publish", Some("8080:80")));
    assert_eq!(inv.flags[2].value_word, Some(2));

    // The value swallows letters that would otherwise be flags.
    let inv = p("docker run -pit nginx");
    assert_eq!(flags(&inv), [("publish", Some("it"))]);
}

#[test]
fn attached_values() {
    let inv = p("docker run -p80:80 -eA=1 -e=B=2 --name=web --label= x");
    assert_eq!(
        flags(&inv),
        [
            ("publish", Some("80:80")),
            ("env", Some("A=1")),
            ("env", Some("B=2")),
            ("name", Some("web")),
            ("label", Some(""))
        ]
    );
    assert_eq!(inv.flag("env").and_then(|f| f.value.as_deref()), Some("B=2"));
    assert_eq!(inv.flags_named("env").count(), 2);
}

#[test]
fn separate_values_are_taken_even_when_they_look_like_flags() {
    let inv = p("docker run --name -d alpine");
    assert_eq!(flags(&inv), [("name", Some("-d"))]);
    assert_eq!(inv.flags[0].value_word, Some(3));
    assert_eq!(args(&inv), ["alpine"]);
}

#[test]
fn booleans_take_values_only_after_an_equals_sign() {
    let inv = p("docker run --rm=false alpine");
    assert_eq!(flags(&inv), [("rm", Some("false"))]);
    assert!(!inv.has("rm"));
    assert!(p("docker run --rm=true alpine").has("rm"));
    assert!(p("docker run --rm=1 alpine").has("rm"));
    assert!(p("docker run -d=T alpine").has("detach"));
    assert!(!p("docker run -d=false alpine").has("detach"));
    // The last use wins, as pflag keeps setting the same value.
    assert!(!p("docker run --rm --rm=false alpine").has("rm"));
    // `--rm false` is `--rm` and an image called `false`.
    let inv = p("docker run --rm false");
    assert!(inv.has("rm"));
    assert_eq!(args(&inv), ["false"]);
}

#[test]
fn a_boolean_with_a_value_go_cannot_parse_is_an_error() {
    let inv = p("docker run --rm=maybe alpine");
    assert_eq!(
        messages(&inv),
        [r#"invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#]
    );
    assert_eq!(inv.errors[0].kind, ErrorKind::InvalidValue);
    assert!(!inv.has("rm"));
    let inv = p("docker run -d=yes alpine");
    assert_eq!(
        messages(&inv),
        [r#"invalid argument "yes" for "-d, --detach" flag: strconv.ParseBool: parsing "yes": invalid syntax"#]
    );
}

#[test]
fn double_dash_ends_flags() {
    let inv = p("docker rm -f -- -weird-name other");
    assert_eq!(flags(&inv), [("force", None)]);
    assert_eq!(args(&inv), ["-weird-name", "other"]);
    let inv = p("docker run -- alpine -x");
    assert_eq!(args(&inv), ["alpine", "-x"]);
    assert!(inv.errors.is_empty());
}

#[test]
fn a_lone_dash_is_a_positional() {
    let inv = p("docker build -t app -");
    assert_eq!(args(&inv), ["-"]);
    assert_eq!(flags(&inv), [("tag", Some("app"))]);
    let inv = p("docker build -f - .");
    assert_eq!(flags(&inv), [("file", Some("-"))]);
    assert_eq!(args(&inv), ["."]);
}

#[test]
fn long_and_short_forms_share_the_canonical_name() {
    let inv = p(
        "docker run -p 1:1 --publish 2:2 -P -e A --env B -v v:/d --volume w:/e -w /d -u 0 -l a=b -h box -m 1g -c 2 -a stdout x",
    );
    let names: Vec<&str> = inv.flags.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "publish",
            "publish",
            "publish-all",
            "env",
            "env",
            "volume",
            "volume",
            "workdir",
            "user",
            "label",
            "hostname",
            "memory",
            "cpu-shares",
            "attach"
        ]
    );
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
}

#[test]
fn old_spellings_report_the_new_name() {
    let inv = p("docker run --net host --net-alias db --dns-opt ndots:1 x");
    assert_eq!(
        flags(&inv),
        [("network", Some("host")), ("network-alias", Some("db")), ("dns-option", Some("ndots:1"))]
    );
    assert_eq!(inv.flags[0].given_as, "--net");
    assert!(inv.warnings.is_empty());
}

#[test]
fn deprecated_flags_warn_with_pflags_text() {
    let inv = p("docker stop --time 5 web");
    assert_eq!(flags(&inv), [("timeout", Some("5"))]);
    assert_eq!(inv.warnings[0].message, "Flag --time has been deprecated, use --timeout instead");
    assert!(inv.errors.is_empty());
    let inv = p("docker ps -h");
    assert!(inv.has("help"));
    assert_eq!(inv.warnings[0].message, "Flag shorthand -h has been deprecated, please use --help");
}

#[test]
fn dash_h_is_hostname_for_run_and_create_and_help_elsewhere() {
    assert_eq!(flags(&p("docker run -h box alpine")), [("hostname", Some("box"))]);
    assert_eq!(flags(&p("docker create -h box alpine")), [("hostname", Some("box"))]);
    assert!(p("docker run --help").has("help"));
    let inv = p("docker images -h");
    assert!(inv.has("help"));
    // Help wins over a missing argument, as Docker prints the help.
    assert!(p("docker logs --help").errors.is_empty());
}

#[test]
fn create_has_rm_but_not_the_attach_flags() {
    assert_eq!(flags(&p("docker create --rm --name w alpine")), [("rm", None), ("name", Some("w"))]);
    assert_eq!(messages(&p("docker create -d alpine")), ["unknown shorthand flag: 'd' in -d"]);
    assert_eq!(messages(&p("docker create --sig-proxy=false alpine")), ["unknown flag: --sig-proxy"]);
}

#[test]
fn unknown_flags_use_dockers_text() {
    let inv = p("docker run --foo alpine");
    assert_eq!(messages(&inv), ["unknown flag: --foo"]);
    assert_eq!((inv.errors[0].word, inv.errors[0].kind), (2, ErrorKind::UnknownFlag));
    assert_eq!(messages(&p("docker run -z alpine")), ["unknown shorthand flag: 'z' in -z"]);
    // The rest of the bundle is what pflag quotes.
    assert_eq!(messages(&p("docker run -dz alpine")), ["unknown shorthand flag: 'z' in -z"]);
    assert_eq!(messages(&p("docker ps --foo=bar")), ["unknown flag: --foo"]);
    assert_eq!(messages(&p("docker run ---x alpine")), ["bad flag syntax: ---x"]);
}

#[test]
fn parsing_goes_on_after_an_unknown_flag() {
    let inv = p("docker run --foo -p 80:80 nginx");
    assert_eq!(flags(&inv), [("publish", Some("80:80"))]);
    assert_eq!(args(&inv), ["nginx"]);
}

#[test]
fn missing_values_use_dockers_text() {
    let inv = p("docker run -p");
    assert_eq!(messages(&inv), ["flag needs an argument: 'p' in -p"]);
    assert_eq!(inv.errors[0].kind, ErrorKind::MissingValue);
    assert_eq!(messages(&p("docker run -dp")), ["flag needs an argument: 'p' in -p"]);
    assert_eq!(messages(&p("docker run --name")), ["flag needs an argument: --name"]);
    assert_eq!(messages(&p("docker build -t")), ["flag needs an argument: 't' in -t"]);
}

#[test]
fn container_management_forms_resolve_to_the_short_form() {
    let inv = p("docker container run -d nginx");
    assert_eq!(inv.command, ["run"]);
    assert_eq!(inv.written, [("container".to_string(), 1), ("run".to_string(), 2)]);
    assert_eq!(flags(&inv), [("detach", None)]);
    assert_eq!(inv.command_path(), "docker container run");
    for (line, command) in [
        ("docker container ls -a", &["ps"][..]),
        ("docker container list", &["ps"]),
        ("docker container ps", &["ps"]),
        ("docker ps", &["ps"]),
        ("docker image ls", &["images"]),
        ("docker image list", &["images"]),
        ("docker images", &["images"]),
        ("docker image rm x", &["rmi"]),
        ("docker image remove x", &["rmi"]),
        ("docker image rmi x", &["rmi"]),
        ("docker container rm x", &["rm"]),
        ("docker container remove x", &["rm"]),
        ("docker image build .", &["build"]),
        ("docker builder build .", &["build"]),
        ("docker buildx build .", &["build"]),
        ("docker buildx b .", &["build"]),
        ("docker image pull alpine", &["pull"]),
        ("docker image tag a b", &["tag"]),
        ("docker image history a", &["history"]),
        ("docker container exec c ls", &["exec"]),
        ("docker container logs c", &["logs"]),
        ("docker system info", &["info"]),
        ("docker container prune -f", &["container", "prune"]),
        ("docker image prune -a", &["image", "prune"]),
        ("docker container inspect c", &["container", "inspect"]),
        ("docker image inspect i", &["image", "inspect"]),
        ("docker inspect x", &["inspect"]),
        ("docker volume create data", &["volume", "create"]),
        ("docker volume list", &["volume", "ls"]),
        ("docker network connect net c", &["network", "connect"]),
        ("docker network remove net", &["network", "rm"]),
        ("docker system prune --volumes", &["system", "prune"]),
    ] {
        let inv = p(line);
        assert_eq!(inv.command, command, "{line}");
        assert!(inv.errors.is_empty(), "{line}: {:?}", inv.errors);
        assert!(!inv.opaque, "{line}");
    }
}

#[test]
fn command_path_uses_primary_names() {
    assert_eq!(p("docker container ps").command_path(), "docker container ls");
    assert_eq!(p("docker rmi x").command_path(), "docker rmi");
    assert_eq!(p("docker image remove x").command_path(), "docker image rm");
}

#[test]
fn global_flags_before_the_command() {
    let inv = p("docker -H tcp://x:2375 run -d alpine");
    assert_eq!(inv.command, ["run"]);
    let globals: Vec<_> = inv.global_flags.iter().map(|f| (f.name, f.value.as_deref())).collect();
    assert_eq!(globals, [("host", Some("tcp://x:2375"))]);
    assert_eq!(flags(&inv), [("detach", None)]);
    assert_eq!(inv.written, [("run".to_string(), 3)]);

    let inv = p("docker --context ci build -t a .");
    assert_eq!(inv.global_flag("context").and_then(|f| f.value.as_deref()), Some("ci"));
    assert_eq!(inv.command, ["build"]);
    assert_eq!(flags(&inv), [("tag", Some("a"))]);
    assert_eq!(args(&inv), ["."]);

    let inv = p("docker -D --tlsverify -l=debug -c=prod --config /etc/d ps");
    let names: Vec<_> = inv.global_flags.iter().map(|f| f.name).collect();
    assert_eq!(names, ["debug", "tlsverify", "log-level", "context", "config"]);
    assert_eq!(inv.command, ["ps"]);
}

#[test]
fn global_flags_are_not_accepted_after_the_command() {
    // Docker's global options are root flags, not persistent ones.
    assert_eq!(messages(&p("docker ps -H tcp://x")), ["unknown shorthand flag: 'H' in -H"]);
    assert_eq!(messages(&p("docker ps --context ci")), ["unknown flag: --context"]);
    assert_eq!(messages(&p("docker --foo ps")), ["unknown flag: --foo"]);
}

#[test]
fn unknown_commands() {
    let inv = p("docker rnu alpine");
    assert_eq!(messages(&inv), ["docker: unknown command: docker rnu"]);
    assert_eq!((inv.errors[0].word, inv.errors[0].kind), (1, ErrorKind::UnknownCommand));
    assert!(inv.command.is_empty());
    let inv = p("docker volume crate data");
    assert_eq!(messages(&inv), ["docker: unknown command: docker volume crate"]);
    assert_eq!(inv.command, ["volume"]);
    let inv = p("docker container lss");
    assert_eq!(messages(&inv), ["docker: unknown command: docker container lss"]);
}

#[test]
fn known_but_unmodelled_commands_are_kept_unparsed() {
    let inv = p("docker compose up -d --build");
    assert_eq!(inv.command, ["compose"]);
    assert!(inv.opaque);
    assert_eq!(args(&inv), ["up", "-d", "--build"]);
    assert!(inv.errors.is_empty());
    let inv = p("docker container stats --no-stream");
    assert_eq!((inv.command.as_slice(), inv.opaque), (&["stats"][..], true));
    let inv = p("docker buildx ls");
    assert_eq!((inv.command.as_slice(), inv.opaque, args(&inv)), (&["buildx"][..], true, vec!["ls"]));
    assert!(inv.errors.is_empty());
}

#[test]
fn bare_docker_and_bare_management_commands() {
    let inv = p("docker");
    assert!(inv.command.is_empty() && inv.errors.is_empty());
    let inv = p("docker volume");
    assert_eq!(inv.command, ["volume"]);
    assert!(inv.errors.is_empty());
    assert!(p("docker -v").global_flag("version").is_some());
}

#[test]
fn argument_counts_use_dockers_text() {
    let inv = p("docker run -d");
    assert_eq!(messages(&inv), ["docker: 'docker run' requires at least 1 argument"]);
    assert_eq!((inv.errors[0].word, inv.errors[0].kind), (1, ErrorKind::ArgCount));
    assert_eq!(messages(&p("docker ps x")), ["docker: 'docker ps' accepts no arguments"]);
    assert_eq!(messages(&p("docker container ls x")), ["docker: 'docker container ls' accepts no arguments"]);
    assert_eq!(messages(&p("docker exec web")), ["docker: 'docker exec' requires at least 2 arguments"]);
    assert_eq!(messages(&p("docker tag a")), ["docker: 'docker tag' requires 2 arguments"]);
    assert_eq!(messages(&p("docker images a b")), ["docker: 'docker images' requires at most 1 argument"]);
    assert_eq!(messages(&p("docker port")), ["docker: 'docker port' requires at least 1 and at most 2 arguments"]);
    // A flag error comes first and hides the count.
    assert_eq!(messages(&p("docker run --foo")), ["unknown flag: --foo"]);
}

#[test]
fn optional_value_flags_take_a_value_only_after_equals() {
    let inv = p("docker build --check .");
    assert_eq!(flags(&inv), [("check", None)]);
    assert_eq!(args(&inv), ["."]);
    assert_eq!(flags(&p("docker build --check=false .")), [("check", Some("false"))]);
}

#[test]
fn build_accepts_buildx_and_classic_flags() {
    let line = "docker build -t a -f Dockerfile.dev --target dev --build-arg A=1 --no-cache -q --progress plain \
                --platform linux/amd64 --pull --label x=y --network host --secret id=s --ssh default \
                --cache-from a --cache-to b -o out --load --push --iidfile id --add-host h:1.2.3.4 \
                --shm-size 1g --ulimit nofile=1 --disable-content-trust --rm --force-rm -m 1g --squash .";
    let inv = p(line);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(args(&inv), ["."]);
    assert_eq!(inv.flag("file").and_then(|f| f.value.as_deref()), Some("Dockerfile.dev"));
}

#[test]
fn every_modelled_command_parses_its_own_flags() {
    for line in [
        "docker start -ai --detach-keys ctrl-x c",
        "docker restart -s SIGINT -t 3 c",
        "docker kill -s 9 c",
        "docker rm -vlf c",
        "docker ps -aqs --no-trunc -n 3 -l --format {{.ID}} -f status=exited",
        "docker logs -ft -n 10 --since 1m --until 1s --details c",
        "docker exec -d -u root -w /tmp -e A=1 --env-file f --privileged --detach-keys x c ls",
        "docker inspect -f {{.Id}} -s --type container c",
        "docker container inspect -s -f json c",
        "docker container prune -f --filter until=1h",
        "docker images -aq --digests --no-trunc --tree --format json -f dangling=true",
        "docker rmi -f --no-prune --platform linux/arm64 i",
        "docker image prune -af --filter until=1h",
        "docker pull -aq --platform linux/amd64 --disable-content-trust alpine",
        "docker push -a --platform linux/amd64 -q me/app",
        "docker history -H=false -q --no-trunc --format json --platform linux/amd64 i",
        "docker image inspect -f json --platform linux/amd64 i",
        "docker volume create -d local -o type=tmpfs --label a=b --name v",
        "docker volume ls -q --cluster --format json -f dangling=true",
        "docker volume inspect -f {{.Mountpoint}} v",
        "docker volume rm -f v",
        "docker volume prune -af --filter label=a",
        "docker network create -d bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 --ip-range 10.0.0.0/25 \
         --ipv4=false --ipv6 --internal --attachable -o a=b --label a --aux-address a=10.0.0.2 n",
        "docker network ls -q --no-trunc --format json -f driver=bridge",
        "docker network inspect -v -f json n",
        "docker network connect --alias db --ip 10.0.0.5 --gw-priority 1 --link a:b n c",
        "docker network disconnect -f n c",
        "docker network rm -f n",
        "docker network prune -f --filter until=1h",
        "docker port c 80/tcp",
        "docker cp -aLq c:/a b",
        "docker commit -p=false -m msg -a me -c CMD c img",
        "docker login -u me --password-stdin registry.example.com",
        "docker logout registry.example.com",
        "docker version -f json",
        "docker info --format {{.ID}}",
        "docker system prune -af --volumes --filter until=1h",
        "docker tag a b",
    ] {
        let inv = p(line);
        assert!(inv.errors.is_empty(), "{line}: {:?}", inv.errors);
        assert!(!inv.opaque, "{line}");
    }
}

#[test]
fn spec_exposes_the_flag_table() {
    let inv = p("docker container run alpine");
    let spec = inv.spec().expect("run is modelled");
    assert_eq!(spec.name, "run");
    assert_eq!(spec.long_flag("publish").and_then(|f| f.short), Some('p'));
    assert!(commands().iter().any(|c| c.name == "volume"));
}
