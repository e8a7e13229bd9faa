//! The toolbox's integration tests: the shell and the applets run in-process against temporary folders, and
//! side by side with busybox where `/bin/busybox` is installed.

mod applets;
mod busybox;
mod messages;
mod shell;
mod support;
