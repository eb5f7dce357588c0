import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { ResidentRequestEvent } from '../../../workflows';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { CreateRequestDto } from './dto/create-request.dto';
import { ListRequestsQueryDto } from './dto/list-requests.query';
import { RequestDto, RequestPageDto, TimelineEntryDto } from './dto/request.dto';
import { EVENT_BODY_DTOS, EVENT_BODY_SCHEMA } from './dto/request-event.dto';
import { RequestEventPipe } from './dto/request-event.pipe';
import { RequestIdPipe } from './dto/request-id.pipe';
import { RequestCommandsService } from './request-commands.service';
import { RequestsService } from './requests.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  // Quoted as an ETag ("3", W/"3") or bare (3); an unbalanced quote is malformed.
  const match = /^(?:W\/)?(?:"(\d{1,9})"|(\d{1,9}))$/.exec(header.trim());
  if (!match)
    throw domainError('HTTP.INVALID_IF_MATCH', 'If-Match must be a request version, e.g. "3"');
  return Number(match[1] ?? match[2]);
}

@ApiTags('requests')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_BODY_DTOS))
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly commands: RequestCommandsService,
  ) {}

  @Post()
  @Roles('resident', 'secretary')
  @ApiOperation({
    summary: 'Submit a request (a secretary may record one on a resident’s behalf)',
    description:
      'A `point` outside the town’s area (or at 0, 0) answers 422 REQUEST.POINT_OUTSIDE_AREA. ' +
      'A secretary may record it solved on the spot (`resolvedOnSpot`): it is then accepted and ' +
      'resolved in the same transaction; a resident sending it gets 403 REQUEST.EVENT_FORBIDDEN.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'retrying with the same key and body returns the first request, not a second',
  })
  @ApiCreatedResponse({ type: RequestDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RequestDto> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw domainError(
        'HTTP.INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1–200 visible ASCII characters',
      );
    }
    const { request, replayed } = await this.commands.create(actor, dto, key);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('ETag', `"${request.version}"`);
    res.setHeader('Location', `/api/v1/requests/${request.id}`);
    return request;
  }

  @Get()
  @ApiOperation({ summary: 'Requests in the caller’s scope, newest first' })
  @ApiOkResponse({ type: RequestPageDto })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListRequestsQueryDto,
  ): Promise<RequestPageDto> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One request, by id or reference number (XX-2026-000042)' })
  @ApiOkResponse({ type: RequestDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', RequestIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RequestDto> {
    const request = await this.requests.get(actor, id);
    res.setHeader('ETag', `"${request.version}"`);
    return request;
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send an event (ACCEPT, RESOLVE, …) to a request',
    description:
      '400 VALIDATION.FAILED names each missing, malformed or unknown field (also a RETURN to the ' +
      'branch the request is at, an `until` date that is no working day, milestone due times ' +
      'that have passed or go backwards, a resident setting `internal`); ' +
      '409 REQUEST.TRANSITION_NOT_ALLOWED (with allowedEvents) when the state does not take the ' +
      'event, or a code naming the rule that refuses it (REQUEST.ALREADY_ON_HOLD, ' +
      'REQUEST.HOLD_LIMIT_REACHED, REQUEST.NOT_ON_HOLD, REQUEST.EXTENSION_PENDING, ' +
      'REQUEST.NO_PENDING_EXTENSION, REQUEST.PLAN_PENDING, REQUEST.NO_PENDING_PLAN, ' +
      'REQUEST.PLAN_RUNNING, REQUEST.NO_PLAN_RUNNING, REQUEST.MILESTONE_OUT_OF_ORDER, ' +
      'REQUEST.PLAN_OUTDATED); for MERGE, 404 when the original is not one the caller sees, ' +
      '400 REQUEST.MERGE_INTO_ITSELF, 409 REQUEST.MERGE_CYCLE or REQUEST.MERGE_TARGET_NOT_OPEN; ' +
      '409 REQUEST.VERSION_CONFLICT when another command won the race; 412 when If-Match is ' +
      'stale; 403 when the role may not send it; 404 outside the caller’s scope.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version you last saw' })
  @ApiBody({ schema: EVENT_BODY_SCHEMA })
  @ApiOkResponse({ type: RequestDto })
  async send(
    @CurrentActor() actor: Actor,
    @Param('id', RequestIdPipe) id: string,
    @Body(RequestEventPipe) event: ResidentRequestEvent,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RequestDto> {
    const request = await this.commands.apply(actor, id, event, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${request.version}"`);
    return request;
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'The timeline: every event, oldest first' })
  @ApiOkResponse({ type: TimelineEntryDto, isArray: true })
  timeline(
    @CurrentActor() actor: Actor,
    @Param('id', RequestIdPipe) id: string,
  ): Promise<TimelineEntryDto[]> {
    return this.requests.timeline(actor, id);
  }
}
