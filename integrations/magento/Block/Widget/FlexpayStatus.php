<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

/**
 * <flexpay-status>: the live status of a FlexPay finance application, from your status endpoint.
 * The reference is the widget's: a page served from the full-page cache is the same for every
 * shopper, so an order's own reference belongs in a template of a page Magento does not cache.
 */
class FlexpayStatus extends AbstractElement
{
    protected const TAG = 'flexpay-status';
    protected const CONFIG_GROUP = 'flexpay';
    protected const SUCCESS = 'successful';
    protected const DEFAULT_NAME = 'flexpay';

    protected function providerAttributes(): array
    {
        return [
            'reference' => $this->param('reference'),
            'src' => $this->param('status_url') ?? $this->config('status_url'),
        ];
    }
}
