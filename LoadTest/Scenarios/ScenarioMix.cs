using System.Globalization;

namespace Learning.LoadTest.Scenarios;

/// <summary>Relative weights of the scenarios in a mixed run, parsed from <c>viewers=70,contention=10,auth=20</c>.</summary>
public sealed record ScenarioMix(int Viewers, int Contention, int Auth)
{
    public static readonly ScenarioMix Default = new(70, 10, 20);

    public int Total => Viewers + Contention + Auth;

    public static ScenarioMix Parse(string text)
    {
        int viewers = 0, contention = 0, auth = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
            {
                throw new FormatException($"'{part}' is not NAME=WEIGHT (e.g. viewers=70)");
            }

            switch (pair[0].ToLowerInvariant())
            {
                case "viewers": viewers = weight; break;
                case "contention": contention = weight; break;
                case "auth": auth = weight; break;
                default: throw new FormatException($"unknown scenario '{pair[0]}' (viewers, contention, auth)");
            }
        }

        var mix = new ScenarioMix(viewers, contention, auth);
        return mix.Total > 0 ? mix : throw new FormatException("the weights add up to 0");
    }

    /// <summary>A weighted draw, so the blend holds on average and the seed makes it repeatable.</summary>
    public ScenarioKind Pick(Random random)
    {
        var draw = random.Next(Total);
        return draw < Viewers ? ScenarioKind.Viewers : draw < Viewers + Contention ? ScenarioKind.Contention : ScenarioKind.Auth;
    }

    public override string ToString() => $"viewers={Viewers},contention={Contention},auth={Auth}";
}
