// `sqlx::migrate!` embeds the migrations when the crate compiles; without
// this, a new migration alone would not rebuild the binary that runs it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
