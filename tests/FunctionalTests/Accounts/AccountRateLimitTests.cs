using System.Net;
using Learning.FunctionalTests.Hardening;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>The email routes and the pages' forms count toward the sign-in limit per address (2 an hour in this host).</summary>
[Collection(SmallQuotasCollection.Name)]
public sealed class AccountRateLimitTests(RateLimitTests.SmallQuotasFactory factory)
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "198.51.100.1", "/api/auth/verify-email", "{\"token\": \"nonsense\"}" },
        { "198.51.100.2", "/api/auth/password-reset/request", "{\"email\": \"nobody@example.com\"}" },
        { "198.51.100.3", "/api/auth/password-reset", "{\"token\": \"nonsense\", \"new_password\": \"velvet-harbour-quince-49\"}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Anonymous_email_routes_are_in_the_sign_in_limit(string address, string path, string body)
    {
        var api = factory.CreateApiClient(address);

        for (var i = 0; i < RateLimitTests.SmallQuotasFactory.SignIn; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await api.Send(HttpMethod.Post, path, ApiClient.JsonContent(body))).Status);
        }

        (await api.Send(HttpMethod.Post, path, ApiClient.JsonContent(body))).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Asking_for_a_verification_link_is_in_the_sign_in_limit()
    {
        var session = await factory.CreateApiClient("198.51.100.4").SignUp();
        var api = factory.CreateApiClient("198.51.100.5");

        for (var i = 0; i < RateLimitTests.SmallQuotasFactory.SignIn; i++)
        {
            Assert.NotEqual("rate_limited", (await api.Post("/api/auth/verify-email/request", null, session.Access)).Error);
        }

        (await api.Post("/api/auth/verify-email/request", null, session.Access)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Theory]
    [InlineData("198.51.100.6", "/account/verify-email")]
    [InlineData("198.51.100.7", "/account/reset-password")]
    public async Task Page_forms_are_in_the_sign_in_limit(string address, string path)
    {
        var api = factory.CreateApiClient(address);
        var form = () => new FormUrlEncodedContent([KeyValuePair.Create("token", "nonsense")]);

        for (var i = 0; i < RateLimitTests.SmallQuotasFactory.SignIn; i++)
        {
            (await api.Send(HttpMethod.Post, path, form())).AssertStatus(HttpStatusCode.BadRequest);
        }

        (await api.Send(HttpMethod.Post, path, form())).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }
}
