namespace Learning.TestSupport;

/// <summary>The PostgreSQL and Redis servers scripts/test.sh starts (or the ones the environment names).</summary>
public static class BackingServices
{
    public static string Postgres => Require("TEST_POSTGRES");

    public static string Redis => Require("TEST_REDIS");

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the tests with scripts/test.sh, which starts PostgreSQL and Redis.");
}
