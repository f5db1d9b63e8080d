use std::rc::Rc;

#[portcullis::command]
async fn hold() -> u32 {
    let rc = Rc::new(1);
    std::future::ready(()).await;
    *rc
}

fn main() {}
