//! The exports as `konform serve` serves them: the index at `/`, `?wsdl` and the XSDs it
//! imports on every SOAP endpoint, `/openapi/<Service>.json`; each the same as
//! `konform spec export` writes for the server's address.

use konform::spec::export::{self, ExportOptions, Format, SchemaLocations, is_rest, is_soap};

use crate::reference::harness::Ref;
use crate::reference::methods::spec;

async fn get(r: &Ref, path: &str) -> (u16, String, String) {
    let resp = r.client.get(r.url(path)).send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, resp.text().await.unwrap())
}

#[tokio::test]
async fn serves_the_index_wsdls_xsds_and_openapi_documents_as_exported() {
    let r = Ref::start(spec()).await;
    let base = r.url("");
    let options = ExportOptions {
        base_url: base.clone(),
        schema_locations: SchemaLocations::Served,
        ..ExportOptions::default()
    };
    let files = export::export(&r.spec, &Format::ALL, &options).unwrap();
    let content = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} not exported"))
            .content
            .clone()
    };

    let (status, ct, index) = get(&r, "/").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    for s in r.spec.services.values() {
        assert!(index.contains(&s.service), "{} not in the index", s.service);
        assert!(index.contains(&s.source), "{} not in the index", s.source);
    }

    for s in r.spec.services.values().filter(|s| is_soap(s)) {
        let names = options.soap_names(&r.spec, &s.service);
        let (status, ct, wsdl) = get(&r, &format!("{}?wsdl", names.path)).await;
        assert_eq!(status, 200, "{}", s.service);
        assert!(ct.starts_with("text/xml"), "{ct}");
        assert_eq!(wsdl, content(&export::wsdl::wsdl_file(&s.service)));
        assert!(wsdl.contains(&format!("location=\"{base}{}\"", names.path)));
        // Every schema the WSDL imports is served where it says.
        let mut imported = 0;
        for loc in wsdl.split("schemaLocation=\"").skip(1) {
            let loc = &loc[..loc.find('"').unwrap()];
            let (status, _, schema) = get(&r, loc).await;
            assert_eq!(status, 200, "{loc}");
            let file = loc.rsplit('=').next().unwrap();
            assert_eq!(schema, content(file), "{loc}");
            imported += 1;
        }
        assert_eq!(imported, 3, "{}: body, header and fault schemas", s.service);
        let (status, _, _) = get(&r, &format!("{}?xsd=nothing.xsd", names.path)).await;
        assert_eq!(status, 404);
        // A GET without ?wsdl is still no SOAP call.
        let (status, _, _) = get(&r, &names.path).await;
        assert_eq!(status, 405);
    }

    for s in r.spec.services.values().filter(|s| is_rest(s)) {
        let (status, ct, doc) = get(&r, &format!("/openapi/{}.json", s.service)).await;
        assert_eq!(status, 200, "{}", s.service);
        assert_eq!(ct, "application/json");
        assert_eq!(doc, content(&export::openapi::openapi_file(&s.service)));
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(doc["servers"][0]["url"], base.trim_end_matches('/'));
    }
    let (status, _, _) = get(&r, "/openapi/PersonRegistrationService.json").await;
    assert_eq!(status, 404, "a SOAP service has no OpenAPI document");
    let (status, _, _) = get(&r, "/openapi/Nothing.json").await;
    assert_eq!(status, 404);
}
