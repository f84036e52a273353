using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace RdLicensing.Server.Ui.Pages;

/// <summary>An SVG &lt;text&gt; element (Razor reserves the &lt;text&gt; tag, so charts write their labels with this).</summary>
public sealed class SvgLabel : ComponentBase
{
    /// <summary>The x coordinate.</summary>
    [Parameter] public string X { get; set; } = "0";

    /// <summary>The y coordinate.</summary>
    [Parameter] public string Y { get; set; } = "0";

    /// <summary>start, middle or end.</summary>
    [Parameter] public string Anchor { get; set; } = "start";

    /// <summary>The label.</summary>
    [Parameter] public string Text { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "class", "axis");
        builder.AddAttribute(2, "x", X);
        builder.AddAttribute(3, "y", Y);
        builder.AddAttribute(4, "text-anchor", Anchor);
        builder.AddContent(5, Text);
        builder.CloseElement();
    }
}
