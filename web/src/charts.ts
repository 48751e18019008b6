// ECharts for the 驾驶舱 (§10), tree-shaken: echarts/core with only the charts and components the
// cockpit draws (a funnel and bars; titles, tooltips, legends, grids, datasets), on the canvas
// renderer; a chart type the cockpit comes to draw is registered here. Imported by the cockpit's
// chart component alone, so that ECharts loads when the 驾驶舱 is opened and never with the inbox.
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { BarChart, FunnelChart, type BarSeriesOption, type FunnelSeriesOption } from 'echarts/charts';
import {
  DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent,
  type DatasetComponentOption, type GridComponentOption, type LegendComponentOption, type TitleComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([FunnelChart, BarChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, CanvasRenderer]);

/** An option of the charts registered here (type-checked against them only). */
export type ChartOption = ComposeOption<
  | FunnelSeriesOption | BarSeriesOption
  | GridComponentOption | TooltipComponentOption | LegendComponentOption | TitleComponentOption | DatasetComponentOption
>;

/** The colours of the cockpit: the workbench's blue first, then contrasting ones a printout tells apart. */
export const PALETTE = ['#1d4e89', '#e6a23c', '#67c23a', '#f56c6c', '#909399', '#5b8ff9', '#9b59b6'];

/** A chart on the element, in Chinese system fonts, sized by its container. */
export function drawChart(el: HTMLElement): EChartsType {
  return init(el, undefined, { renderer: 'canvas', locale: 'ZH' });
}
export type { EChartsType };
