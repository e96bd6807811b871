using Learning.Audit;

namespace Learning.UnitTests.Audit;

public sealed class AuditIdsTests
{
    [Fact]
    public void Ids_made_in_the_same_millisecond_still_sort_in_the_order_they_were_made()
    {
        var now = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 5000).Select(_ => AuditIds.Next(now)).ToList();

        Assert.Equal(ids, ids.Order().ToList());
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public void An_id_made_later_sorts_after_one_made_earlier()
    {
        var later = DateTimeOffset.UtcNow.AddDays(3);
        var first = AuditIds.Next(later);
        var second = AuditIds.Next(later.AddMilliseconds(5));

        Assert.True(first.CompareTo(second) < 0);
        Assert.True(string.CompareOrdinal(first.ToString(), second.ToString()) < 0);
    }
}
