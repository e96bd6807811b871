namespace Learning.TestSupport;

/// <summary>
/// The xUnit trait that takes a test class out of the fast tier (<c>scripts/test.sh --fast</c> filters with
/// <see cref="FastFilter"/>) but leaves it in the full run: <c>[Trait(Tier.Name, Tier.Slow)]</c>. For in-process tests
/// that need no server but cost far more CPU than an API test on a shared host: multi-silo clusters and extra silos,
/// load-tester runs, hundreds of requests, production-strength password hashing. README's tests section lists them
/// with what each cost when measured.
/// </summary>
public static class Tier
{
    public const string Name = "Tier";

    public const string Slow = "Slow";

    /// <summary>The <c>dotnet test --filter</c> expression of the fast tier.</summary>
    public const string FastFilter = Name + "!=" + Slow;
}
