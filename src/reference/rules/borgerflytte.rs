//! BorgerFlytteService (SOAP): the move flow (borgerflytning) of a citizen between
//! municipalities. The moving-out municipality confirms what it hands over
//! (CreateFraflytningsbekraeftelse), the moving-in one acknowledges it
//! (CreateTilflytningsbekraeftelse). LogTransferDataException and GetTransferData are
//! withdrawn (BORTFALDER) and refused by the transport. The document lists no
//! service-specific codes ("ingen servicespecifikke"); the overlay's general faults apply, and
//! an unknown move flow answers 4589 where the general faults hold it.

use serde_json::{Value, json};

use super::{Call, Handler};
use crate::reference::checks::Rejection;
use crate::reference::store::Citizen;

pub fn handler(_service: &str, method: &str) -> Option<Handler> {
    Some(match method {
        "CreateFraflytningsbekraeftelse" => fraflytning,
        "CreateTilflytningsbekraeftelse" => tilflytning,
        _ => return None,
    })
}

pub fn checks(_service: &str, method: &str) -> Vec<(u32, &'static str)> {
    match method {
        "CreateFraflytningsbekraeftelse" | "CreateTilflytningsbekraeftelse" => {
            vec![(
                4589,
                "borgerflytningId must name a move flow of the citizen",
            )]
        }
        _ => Vec::new(),
    }
}

fn move_id(call: &Call<'_>) -> Option<uuid::Uuid> {
    ["borgerflytningId", "TransferDataIdentifier"]
        .iter()
        .find_map(|k| call.uuid(k))
}

fn fraflytning(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = move_id(call);
    let pos = id.and_then(|id| c.moves.iter().position(|m| m.id == id));
    call.ctx.check(4589, || pos.is_none());
    call.ctx.gate()?;
    if let Some(p) = pos {
        c.moves[p].confirmed_out = true;
    }
    let id = id.map(|i| i.to_string()).unwrap_or_default();
    Ok(json!({ "TransferDataIdentifier": id }))
}

fn tilflytning(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = move_id(call);
    let pos = id.and_then(|id| c.moves.iter().position(|m| m.id == id));
    call.ctx.check(4589, || pos.is_none());
    call.ctx.gate()?;
    if let Some(p) = pos {
        c.moves[p].confirmed_in = true;
    }
    Ok(call.receipt(None))
}
