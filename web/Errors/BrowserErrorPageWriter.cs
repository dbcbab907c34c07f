using CareMessaging.Web.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Mvc.ViewEngines;

namespace CareMessaging.Web.Errors;

/// <summary>
/// Errors, 404s and 403s reach a browser as a page in the site's layout; every other client
/// (scripts, API tools) still gets the ProblemDetails JSON that the shared defaults write.
/// Registered ahead of the default writer, it answers only requests that accept HTML.
/// </summary>
internal sealed class BrowserErrorPageWriter(
    IRazorViewEngine viewEngine,
    ITempDataProvider tempDataProvider,
    IModelMetadataProvider metadataProvider) : IProblemDetailsWriter
{
    public const string ViewPath = "/Pages/Shared/_ErrorPage.cshtml";

    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.AcceptsHtml() && !context.HttpContext.Request.IsFetch();

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var model = ErrorPage.For(status, http.TraceIdentifier);

        var actionContext = new ActionContext(http, http.GetRouteData(), new ActionDescriptor());
        var view = viewEngine.GetView(executingFilePath: null, ViewPath, isMainPage: true).EnsureSuccessful([]).View!;
        var viewData = new ViewDataDictionary<ErrorPage>(metadataProvider, new ModelStateDictionary()) { Model = model };
        viewData["Title"] = model.Title;

        http.Response.ContentType = "text/html; charset=utf-8";
        await using var writer = new StreamWriter(http.Response.Body, leaveOpen: true);
        var viewContext = new ViewContext(actionContext, view, viewData,
            new TempDataDictionary(http, tempDataProvider), writer, new HtmlHelperOptions());
        await view.RenderAsync(viewContext);
        await writer.FlushAsync(http.RequestAborted);
    }
}

/// <summary>What the error page tells a person: what happened and what they can do.</summary>
public sealed record ErrorPage(int Status, string Title, string Explanation, string TraceId)
{
    public static ErrorPage For(int status, string traceId) => status switch
    {
        StatusCodes.Status404NotFound => new(status, "Page not found",
            "There is nothing at this address, or it is not shared with your care team.", traceId),
        StatusCodes.Status403Forbidden => new(status, "Not allowed",
            "Your account does not give access to this page. If you need it, ask your administrator.", traceId),
        StatusCodes.Status401Unauthorized => new(status, "Please sign in",
            "Your session has ended. Sign in again to continue.", traceId),
        StatusCodes.Status503ServiceUnavailable => new(status, "Temporarily unavailable",
            "A part of CareMessaging is not answering at the moment, for example while it restarts. Nothing you typed was sent twice; try again in a few seconds.", traceId),
        >= 500 => new(status, "Something went wrong",
            "The page could not be shown. Nothing you typed was sent twice; try again in a moment.", traceId),
        _ => new(status, "The request could not be completed",
            "Go back and try again.", traceId),
    };
}
