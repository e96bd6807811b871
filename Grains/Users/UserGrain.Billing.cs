using Learning.Access;
using Learning.Common;

namespace Learning.Users;

public sealed partial class UserGrain
{
    public Task<Result<CheckoutTerms>> GetCheckoutTerms(Caller caller) => throw new NotImplementedException();

    public Task<Result<string>> GetBillingCustomer(Caller caller) => throw new NotImplementedException();

    public Task<Result<Done>> LinkCustomer(string customerId, string eventId) => throw new NotImplementedException();

    public Task<Result<Done>> RecordBillingNotice(BillingNotice notice) => throw new NotImplementedException();
}
