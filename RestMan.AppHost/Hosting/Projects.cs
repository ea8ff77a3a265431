using RestMan.Hosting;

// The role of Aspire's generated Projects.* types: one marker per project resource, pointing at its project file.
namespace Projects;

public interface IProjectMetadata
{
    string ProjectPath { get; }
}

public sealed class RestMan_Gateway : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Gateway/RestMan.Gateway.csproj"); }
public sealed class RestMan_Auth : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Auth/RestMan.Auth.csproj"); }
public sealed class RestMan_Scheduler : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Scheduler/RestMan.Scheduler.csproj"); }
public sealed class RestMan_Restaurants : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Restaurants/RestMan.Restaurants.csproj"); }
public sealed class RestMan_Orders : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Orders/RestMan.Orders.csproj"); }
public sealed class RestMan_Kitchen : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Kitchen/RestMan.Kitchen.csproj"); }
public sealed class RestMan_Billing : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Billing/RestMan.Billing.csproj"); }
public sealed class RestMan_Analytics : IProjectMetadata { public string ProjectPath => RepositoryLayout.Path("services/RestMan.Analytics/RestMan.Analytics.csproj"); }
