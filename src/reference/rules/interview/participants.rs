//! Interview participants (AddInterviewParticipant, UpdateInterviewParticipant,
//! DeleteInterviewParticipant) in both services: finding the interview and the participant
//! by the identifiers either service uses, and the participant rules they share with
//! CreatePersonInterview. The main entry points are [`add_participant`],
//! [`update_participant`] and [`delete_participant`].

use super::*;

/// AddInterviewParticipant.
pub fn add_participant(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let interview_id = named_interview(call);
    let owner = interview_id
        .and_then(|id| call.app.store.owner(&id))
        .filter(|(_, k)| *k == ItemKind::Interview);
    call.ctx.check(4589, || owner.is_none());
    call.ctx.gate()?;
    let mine = interview_id.and_then(|id| c.interviews.iter().position(|i| i.id == id));
    call.ctx.check(8237, || mine.is_none());
    call.ctx.gate()?;
    let p = call
        .input("InterviewParticipant")
        .map(participant_from)
        .unwrap_or_else(|| participant_from(&Value::Null));
    let contact_ok = p
        .contact_type
        .is_none_or(|t| domain::valid(call, lists::KONTAKTFORM, t));
    call.ctx.check(8177, || !contact_ok);
    call.ctx.check(8240, || p.id_given);
    let more = mine.is_some_and(|i| c.interviews[i].with_more_authorities);
    call.ctx.check(8188, || mine.is_some() && !more);
    call.ctx.gate()?;
    let pid = Uuid::new_v4();
    if let Some(i) = mine {
        call.app.store.index(pid, &c.cpr, ItemKind::Participant);
        c.interviews[i].participants.push(Participant {
            id: pid,
            name: p.name,
            external_id: p.external_id,
            contact_type: p.contact_type,
            type_id: p.type_id,
        });
    }
    Ok(call.receipt(Some(pid)))
}

/// The participant a request names and where it is: (interview index, participant index).
fn find_participant(call: &mut Call<'_>, c: &Citizen) -> Result<Option<(usize, usize)>, Rejection> {
    let participant_id = ["MessageIdentifier", "InterviewParticipantIdentifier"]
        .iter()
        .find_map(|k| call.uuid(k));
    let interview_id = named_interview(call);
    let store = &call.app.store;
    let p_owner = participant_id
        .and_then(|id| store.owner(&id))
        .filter(|(_, k)| *k == ItemKind::Participant);
    let i_known = interview_id
        .and_then(|id| store.owner(&id))
        .is_some_and(|(_, k)| k == ItemKind::Interview);
    call.ctx.check(4589, || p_owner.is_none() || !i_known);
    call.ctx.gate()?;
    let mine = p_owner.as_ref().is_some_and(|(cpr, _)| *cpr == c.cpr);
    call.ctx.check(8197, || !mine);
    call.ctx.gate()?;
    let place = c.interviews.iter().enumerate().find_map(|(ii, i)| {
        i.participants
            .iter()
            .position(|p| Some(p.id) == participant_id)
            .map(|pi| (ii, pi))
    });
    let in_named = place.is_some_and(|(ii, _)| Some(c.interviews[ii].id) == interview_id);
    call.ctx.check(8198, || !in_named);
    call.ctx.gate()?;
    Ok(place.filter(|_| in_named))
}

/// UpdateInterviewParticipant: the name and the external id.
pub fn update_participant(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let place = find_participant(call, c)?;
    let name = call.str("InterviewParticipantName");
    let external = call.str("ExternalAuthorityParticipantId");
    let mut id = None;
    if let Some((ii, pi)) = place {
        let p = &mut c.interviews[ii].participants[pi];
        if let Some(name) = name {
            p.name = name;
        }
        p.external_id = external;
        id = Some(p.id);
    }
    Ok(call.receipt(id))
}

/// DeleteInterviewParticipant.
pub fn delete_participant(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let place = find_participant(call, c)?;
    let mut id = None;
    if let Some((ii, pi)) = place {
        let p = c.interviews[ii].participants.remove(pi);
        call.app.store.unindex(&p.id);
        id = Some(p.id);
    }
    Ok(call.receipt(id))
}
