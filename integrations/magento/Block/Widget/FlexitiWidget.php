<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

/**
 * <flexiti-widget>: finance a purchase with Flexiti.
 */
class FlexitiWidget extends AbstractElement
{
    protected const TAG = 'flexiti-widget';
    protected const CONFIG_GROUP = 'flexiti';
    protected const SUCCESS = 'verified';
    protected const DEFAULT_NAME = 'financing';

    public function isModal(): bool
    {
        return $this->flag('modal', false);
    }

    protected function providerAttributes(): array
    {
        return [
            'flow' => $this->param('flow') ?? 'purchase',
            'modal' => $this->isModal(),
            'session-url' => $this->sessionUrl(),
        ];
    }
}
