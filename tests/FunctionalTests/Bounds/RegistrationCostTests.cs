using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Bounds;

[Collection(ApiCollection.Name)]
public sealed class RegistrationCostTests(LearningApiFactory factory)
{
    private const string Hashes = "learning_password_hashes_total";
    private readonly ApiClient _api = factory.CreateApiClient();

    /// <remarks>The password-hash counter is the deterministic signal: a taken email must not reach the costly hash.</remarks>
    [Fact]
    public async Task Registering_a_taken_email_is_refused_before_the_password_is_hashed()
    {
        var email = ApiClient.NewEmail();
        var before = PrometheusText.Counter(await PrometheusText.Scrape(_api), Hashes);
        (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
        var afterFirst = PrometheusText.Counter(await PrometheusText.Scrape(_api), Hashes);
        Assert.Equal(before + 1, afterFirst);

        (await _api.Register($"  {email.ToUpperInvariant()} ")).AssertProblem(HttpStatusCode.Conflict, "email_taken");

        Assert.Equal(afterFirst, PrometheusText.Counter(await PrometheusText.Scrape(_api), Hashes));
    }
}
