namespace Learning.Hosting;

/// <summary>
/// The clock the business rules read, registered as a keyed <see cref="TimeProvider"/> so tests can move it
/// without also moving the clocks Orleans and ASP.NET Core run on.
/// </summary>
public static class Clock
{
    public const string ServiceKey = "learning-clock";
}
