"""zeep against `konform serve`: load each SOAP service's served WSDL, call one method with a
valid request (the documented answer comes back) and with an invalid CPR (a SOAP fault whose
faultcode is the code the documents give for it, 1001 "Invalid cpr").

Usage: python zeep_check.py BASE_URL   (the server must run with --test-mode)
"""

import datetime as dt
import json
import sys
import urllib.request

import zeep
import zeep.exceptions

BASE = sys.argv[1].rstrip("/")
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
BAD_CPR = "3213991234"  # day 32: fails the documented CPR pattern


def establish(citizen):
    """A citizen through the reference's state-change endpoint; answers (cpr, ids)."""
    req = urllib.request.Request(
        BASE + "/konform/state",
        data=json.dumps({"citizen": citizen}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = json.load(resp)
    return body["cpr"], body.get("ids", {})


def headers(type_id, code):
    return {
        "ActiveOrganisationHeader": {
            "OrganisationTypeIdentifier": type_id,
            "OrganisationCode": code,
        },
        "RequestUserMetadataHeader": {"UserIdentifier": "zeep", "UserName": "zeep check"},
    }


def receipt(answer):
    """The receipt's MessageIdentifier (zeep unwraps a response element of one member)."""
    r = getattr(answer, "ServiceReceipt", answer)
    assert r.MessageIdentifier and r.EventDate, answer
    return r.MessageIdentifier


def iso(t):
    return t.isoformat()


def person_registration():
    cpr, _ = establish(
        {
            "jobcenter": "10101",
            "kommune": "101",
            "contact_groups": [{"type": 1, "start": iso(NOW - dt.timedelta(days=60))}],
            "enrollment": {"date": iso(NOW - dt.timedelta(days=60))},
        }
    )
    body = lambda c: {
        "PersonCivilRegistrationIdentifier": c,
        "PersonCategory": {
            "PersonCategoryTypeIdentifier": 3,
            "IncidentDate": NOW - dt.timedelta(hours=1),
        },
    }
    return "CreatePersonCategory", headers(2, "10101"), body(cpr), body(BAD_CPR), 1001, (
        lambda r: receipt(r)
    )


def interview():
    cpr, _ = establish(
        {
            "akasse": "12",
            "contact_groups": [{"type": 1, "start": iso(NOW - dt.timedelta(days=60))}],
        }
    )
    body = lambda c: {
        "PersonCivilRegistrationIdentifier": c,
        "Interview": {
            "InterviewTypeIdentifier": 8,
            "ResponsibleAuthority": {
                "AuthorityStructure": {
                    "AuthorityCode": "12",
                    "AuthorityName": "A-kasse Test",
                    "OrganisationTypeIdentifier": 1,
                },
                "CaseWorker": {
                    "CaseWorkerGivenName": "Sanne",
                    "CaseWorkerSurname": "Holm",
                    "CaseWorkerIdentifier": "sh1",
                },
            },
            "InterviewTime": NOW - dt.timedelta(days=1),
            "InterviewContactTypeIdentifier": 6,
            "InterviewWithMoreAuthorities": False,
            "AgreementDescription": "Aftale om raadighed",
        },
    }
    return "CreateInterview", headers(1, "12"), body(cpr), body(BAD_CPR), 1001, (
        lambda r: receipt(r)
    )


def borger_flytte():
    cpr, ids = establish(
        {"kommune": "101", "moves": [{"id": "flyt", "from": "101", "to": "202"}]}
    )
    body = lambda c: {
        "personnummer": c,
        "borgerflytningId": ids["flyt"],
        "EventDate": NOW,
    }
    expected = ids["flyt"]

    def check(r):
        assert str(r.TransferDataIdentifier) == expected, (r.TransferDataIdentifier, expected)
        return r.TransferDataIdentifier

    # 1001 for this method rests on the overlay's general_faults (an assumption: the document
    # lists no codes for it).
    return "CreateFraflytningsbekraeftelse", headers(3, "101"), body(cpr), body(BAD_CPR), 1001, check


SERVICES = {
    "PersonRegistrationService": person_registration,
    "InterviewService": interview,
    "BorgerFlytteService": borger_flytte,
}

failures = 0
for service, plan in SERVICES.items():
    wsdl = f"{BASE}/soap/{service}?wsdl"
    client = zeep.Client(wsdl)
    method, soap_headers, good, bad, code, check = plan()
    call = getattr(client.service, method)
    try:
        answer = call(_soapheaders=soap_headers, **good)
        shown = check(answer)
        print(f"ok   {service}.{method}: answered ({shown})")
    except Exception as e:  # noqa: BLE001 - every failure is reported, then counted
        print(f"FAIL {service}.{method}: the valid call failed: {type(e).__name__}: {e}")
        failures += 1
    try:
        call(_soapheaders=soap_headers, **bad)
        print(f"FAIL {service}.{method}: an invalid CPR was accepted")
        failures += 1
    except zeep.exceptions.Fault as f:
        if f.code == str(code):
            print(f"ok   {service}.{method}: invalid CPR -> fault {f.code} {f.message!r}")
        else:
            print(f"FAIL {service}.{method}: fault {f.code} {f.message!r}, expected {code}")
            failures += 1
    except Exception as e:  # noqa: BLE001
        print(f"FAIL {service}.{method}: the invalid call failed otherwise: {type(e).__name__}: {e}")
        failures += 1

print(f"zeep: {len(SERVICES) * 2 - failures}/{len(SERVICES) * 2} checks passed")
sys.exit(1 if failures else 0)
