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
            // Mail is accepted and dropped; a test of delivery overrides this with Email:Discard=false and a destination.
            ["Email:Discard"] = "true",
        }.Concat(overrides.Select(o => KeyValuePair.Create(o.Key, (string?)o.Value)));
}
