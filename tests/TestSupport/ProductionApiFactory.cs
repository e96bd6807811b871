namespace Learning.TestSupport;

/// <summary>Production with valid settings, except those a test overrides.</summary>
public sealed class ProductionApiFactory(string postgres, params (string Key, string Value)[] overrides) : LearningApiFactory
{
    protected override string Environment => "Production";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "localhost",
            ["ConnectionStrings:Postgres"] = postgres,
            ["Security:RequireHttps"] = "false",
        }.Concat(overrides.Select(o => KeyValuePair.Create(o.Key, (string?)o.Value)));
}
