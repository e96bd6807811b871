using Learning.ReadModel;

namespace Learning.UnitTests.ReadModel;

public sealed class AuditQueryTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Someone = Guid.NewGuid();

    private static AuditQuery Query(Guid? userId) => new(null, userId, null, null, null, 50, null);

    [Fact]
    public void A_learner_sees_only_their_own_entries() => Assert.Equal(Me, Query(null).VisibleTo(Me, isAdmin: false)!.UserId);

    [Fact]
    public void A_learner_naming_someone_else_sees_nothing() => Assert.Null(Query(Someone).VisibleTo(Me, isAdmin: false));

    [Fact]
    public void A_learner_naming_themselves_sees_their_entries() => Assert.Equal(Me, Query(Me).VisibleTo(Me, isAdmin: false)!.UserId);

    [Fact]
    public void An_admin_sees_everyone_or_whoever_they_name()
    {
        Assert.Null(Query(null).VisibleTo(Me, isAdmin: true)!.UserId);
        Assert.Equal(Someone, Query(Someone).VisibleTo(Me, isAdmin: true)!.UserId);
    }
}
