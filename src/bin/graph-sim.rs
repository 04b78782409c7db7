//! `graph-sim`: runs the Graph API simulator on loopback.
fn main() {
    eprintln!("graph-sim is not built yet");
    std::process::exit(2);
}
