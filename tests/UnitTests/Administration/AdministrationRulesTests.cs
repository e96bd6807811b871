using Learning.Administration;
using Learning.Common;
using Learning.Devices;

namespace Learning.UnitTests.Administration;

public sealed class AdministrationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static Device NewDevice(bool active) =>
        new(Guid.NewGuid(), $"web-{Guid.NewGuid():N}", "Laptop", Platform.Web, active, Now, Now);

    [Fact]
    public void Deactivation_changes_only_active_devices_and_answers_each_id_once_in_the_order_asked()
    {
        var active = NewDevice(active: true);
        var inactive = NewDevice(active: false);
        var unknown = Guid.NewGuid();

        var (statuses, toDeactivate) = AdministrationRules.PlanDeactivation([active, inactive], [inactive.Id, unknown, active.Id, inactive.Id]);

        Assert.Equal(
            [
                new DeviceDeactivation(inactive.Id, DeactivationStatuses.AlreadyInactive),
                new DeviceDeactivation(unknown, DeactivationStatuses.NotFound),
                new DeviceDeactivation(active.Id, DeactivationStatuses.Deactivated),
            ],
            statuses);
        Assert.Equal([active], toDeactivate);
    }

    [Fact]
    public void Deactivating_nothing_that_is_active_changes_nothing()
    {
        var (statuses, toDeactivate) = AdministrationRules.PlanDeactivation([NewDevice(active: false)], [Guid.NewGuid()]);

        Assert.Equal(DeactivationStatuses.NotFound, Assert.Single(statuses).Status);
        Assert.Empty(toDeactivate);
    }

    [Fact]
    public void An_admin_may_disable_others_but_not_themselves()
    {
        var admin = Guid.NewGuid();

        Assert.Null(AdministrationRules.RefuseDisable(Guid.NewGuid(), admin));
        Assert.Equal(ErrorCodes.Forbidden, AdministrationRules.RefuseDisable(admin, admin)?.Code);
    }
}
