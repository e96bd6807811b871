using System.Diagnostics;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>
/// A reset request answers alike for known and unknown addresses, timing included. A host of its own: only here must
/// password hashing run at production strength, so that a hash on one path alone would show.
/// </summary>
[Trait(Tier.Name, Tier.Slow)]
public sealed class PasswordResetTimingTests(ProductionHashingEmailApiFactory factory) : IClassFixture<ProductionHashingEmailApiFactory>
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Known_and_unknown_emails_get_the_same_answer_in_the_same_time()
    {
        var known = (await _api.SignUp()).Email;
        var unknown = ApiClient.NewEmail();
        await _api.RequestReset(known);
        await _api.RequestReset(unknown);

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        ApiResponse? knownAnswer = null, unknownAnswer = null;
        for (var i = 0; i < 15; i++)
        {
            (knownAnswer, var knownTime) = await Timed(() => _api.RequestReset(known));
            (unknownAnswer, var unknownTime) = await Timed(() => _api.RequestReset(unknown));
            knownTimes.Add(knownTime);
            unknownTimes.Add(unknownTime);
        }

        Assert.Equal(knownAnswer!.Status, unknownAnswer!.Status);
        Assert.Equal(knownAnswer.Body, unknownAnswer.Body);
        Assert.Equal(knownAnswer.ContentType, unknownAnswer.ContentType);
        Assert.Equal(HeaderNames(knownAnswer), HeaderNames(unknownAnswer));
        // A password hash at production strength on one path alone would take one of them about 0.1 s longer.
        Assert.True(Math.Abs(Median(knownTimes) - Median(unknownTimes)) < 40,
            $"known {Median(knownTimes):0.0} ms, unknown {Median(unknownTimes):0.0} ms");
    }

    private static async Task<(ApiResponse Answer, double Milliseconds)> Timed(Func<Task<ApiResponse>> request)
    {
        var watch = Stopwatch.StartNew();
        var answer = await request();
        return (answer, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string HeaderNames(ApiResponse answer) =>
        string.Join(",", answer.Headers.Select(h => h.Key).Where(k => k is not "X-Request-Id" and not "Date").Order());
}
