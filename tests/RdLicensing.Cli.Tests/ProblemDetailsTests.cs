using System.Net;
using RdLicensing.Client;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Tests;

/// <summary>Reading RFC 9457 problem details as the license server sends them.</summary>
public sealed class ProblemDetailsTests
{
    [Fact]
    public void A_validation_problem_keeps_title_detail_fields_and_extensions()
    {
        ProblemDetailsData problem = ProblemDetailsData.Parse("""
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.",
             "status":400,"detail":"bad key pack","errors":{"quantity":["must be 1 or more"],"code":"bad code"},"traceId":"00-abc"}
            """);

        Assert.Equal("One or more validation errors occurred.", problem.Title);
        Assert.Equal("bad key pack", problem.Detail);
        Assert.Equal(400, problem.Status);
        Assert.Equal(["must be 1 or more"], problem.Errors["quantity"]);
        Assert.Equal(["bad code"], problem.Errors["code"]);
        Assert.Equal("00-abc", problem.GetExtensionString("traceId"));
        Assert.False(problem.Extensions.ContainsKey("errors"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_body_is_an_empty_problem(string body) => Assert.Same(ProblemDetailsData.Empty, ProblemDetailsData.Parse(body));

    [Theory]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("[1,2]")]
    public void A_body_that_is_not_a_json_object_becomes_the_detail(string body) => Assert.Equal(body, ProblemDetailsData.Parse(body).Detail);

    [Fact]
    public void A_revocation_refusal_is_read_from_a_409_problem()
    {
        ProblemDetailsData problem = ProblemDetailsData.Parse("""
            {"title":"revocation limit reached","status":409,"revokedCount":1,"installedCount":3,"revocableCals":1,
             "nextRevokeAllowedOn":"2027-02-14T09:31:00+00:00"}
            """);
        var exception = new LicensingApiException(HttpStatusCode.Conflict, problem, "POST", new Uri("http://127.0.0.1/api/licenses/x/revoke"));

        RevocationRefusalDto? refusal = LicensingClient.TryGetRevocationRefusal(exception);

        Assert.Equal(new RevocationRefusalDto(1, 3, 1, new DateTimeOffset(2027, 2, 14, 9, 31, 0, TimeSpan.Zero)), refusal);
    }

    [Fact]
    public void Another_conflict_is_not_a_revocation_refusal()
    {
        var exception = new LicensingApiException(HttpStatusCode.Conflict, ProblemDetailsData.Parse("""{"title":"key pack has issued CALs"}"""),
            "DELETE", new Uri("http://127.0.0.1/api/keypacks/x"));

        Assert.Null(LicensingClient.TryGetRevocationRefusal(exception));
        Assert.Contains("409", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.org")]
    [InlineData("/relative")]
    public void The_client_refuses_a_base_address_that_is_not_http(string address) =>
        Assert.Throws<ArgumentException>(() => new LicensingClient(new Uri(address, UriKind.RelativeOrAbsolute), null));

    [Fact]
    public async Task An_unreachable_server_throws_the_unreachable_exception()
    {
        using var client = new LicensingClient(new Uri($"http://127.0.0.1:{Support.ServerProcess.FreePort()}/"), "key");

        LicensingServerUnreachableException ex = await Assert.ThrowsAsync<LicensingServerUnreachableException>(
            () => client.ListKeyPacksAsync(TestContext.Current.CancellationToken));

        Assert.Contains("connection refused", ex.Reason, StringComparison.Ordinal);
    }
}
