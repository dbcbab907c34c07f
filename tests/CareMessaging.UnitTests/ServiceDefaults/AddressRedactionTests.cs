using System.Diagnostics;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.UnitTests.ServiceDefaults;

public sealed class AddressRedactionTests
{
    [Theory]
    [InlineData("/api/patients/P-100201", "/api/patients/{patientId}")]
    [InlineData("/patients/MRN%2F0042", "/patients/{patientId}")]
    [InlineData("/api/audit/patients/P-100201/viewers", "/api/audit/patients/{patientId}/viewers")]
    [InlineData("http://conversation/api/patients/P-100201?q=Jones&limit=25", "http://conversation/api/patients/{patientId}?q=Redacted&limit=Redacted")]
    [InlineData("?patientId=P-100201&pageSize=200", "?patientId=Redacted&pageSize=Redacted")]
    [InlineData("Start processing HTTP request GET http://conversation/api/Patients/P-100201", "Start processing HTTP request GET http://conversation/api/Patients/{patientId}")]
    public void Patient_ids_in_paths_and_every_query_value_are_replaced(string address, string exported) =>
        Assert.Equal(exported, AddressRedaction.Redact(address));

    [Theory]
    [InlineData("/api/patients/{patientId}")]
    [InlineData("/api/patients/{**rest}")]
    [InlineData("/api/patients")]
    [InlineData("/api/conversations/0193c2a4-7f1e-7000-8000-000000000001/messages")]
    [InlineData("http://conversation/api/patients?*")]
    [InlineData("?q=Redacted&limit=Redacted")]
    [InlineData("Is the patient ready? Yes = go")]
    public void Route_templates_ids_other_than_patients_and_redacted_addresses_stay_as_they_are(string text) =>
        Assert.Same(text, AddressRedaction.Redact(text));

    [Fact]
    public void A_span_leaves_the_service_with_its_address_attributes_redacted()
    {
        using var span = new Activity("GET /patients/{patientId}");
        span.SetTag("url.path", "/patients/P-100201");
        span.SetTag("url.query", "?q=Jones");
        span.SetTag("http.route", "/patients/{patientId}");
        span.SetTag("http.response.status_code", 200);
        span.Start().Stop();

        new AddressRedaction.SpanProcessor().OnEnd(span);

        Assert.Equal("/patients/{patientId}", span.GetTagItem("url.path"));
        Assert.Equal("?q=Redacted", span.GetTagItem("url.query"));
        Assert.Equal("/patients/{patientId}", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
    }
}
